@testable import FuzzTargets
import Modbus
import Testing
import TestSupport

/// The fuzz targets' seed corpus and every input that once broke an invariant, replayed
/// through the same function libFuzzer calls (tools/fuzz.sh runs the fuzzer itself).
@Suite("Fuzz corpus")
struct FuzzCorpusTests {
    static let root = repositoryPath("")

    @Test(arguments: ["tools/fuzz/corpus", "tools/fuzz/regressions"])
    func everyInputKeepsEveryInvariant(_ folder: String) throws {
        let files = FuzzCorpus.files(at: "\(Self.root)/\(folder)")
        #expect(!files.isEmpty)
        for file in files {
            let bytes = try #require(FuzzCorpus.read(file), "\(file)")
            let problem = FuzzTarget.run(bytes)
            #expect(problem == nil, "\(file): \(problem ?? "")")
        }
    }

    /// The seeds reach every target (an input's first byte picks it).
    @Test func theSeedsCoverEveryTarget() throws {
        let kinds = try FuzzCorpus.files(at: "\(Self.root)/tools/fuzz/corpus").map { try #require(FuzzCorpus.read($0)).first.map { $0 % 4 } }
        #expect(Set(kinds.compactMap { $0 }) == Set(FuzzTarget.Kind.allCases.map(\.rawValue)))
    }

    /// A write out of range is refused and one in range lands, and the invariants hold (were the
    /// device to take contactor_command = 16, the field-device target would report it).
    @Test func aRefusedAndAnAcceptedWriteKeepEveryInvariant() {
        // Field device, 8 cells, 1 module, lockstep, one allowed writer; every reading NaN.
        var input: [UInt8] = [0, 0, 7, 0, 0] + [0, 0, 0, 0] + [0, 0, 0, 0] + [0] + [0] + Array(repeating: 0, count: 8) + [3, 0, 7]
        // Write contactor_command = 16 (refused, exception 3), then 5 (accepted).
        input += [0, 1, 0, 0, 0, 6, 1, 6, 0, 0, 0, 16, 0, 2, 0, 0, 0, 6, 1, 6, 0, 0, 0, 5]
        #expect(FuzzTarget.run(input) == nil)
    }

    /// The reply check names what is malformed.
    @Test func aMalformedReplyIsNamed() {
        typealias Clients = InjectedClients<RegisterBankService>
        #expect(Clients.checkReply([0x83, 2]) == nil)
        #expect(Clients.checkReply([3, 4, 0, 1, 0, 2]) == nil)
        #expect(Clients.checkReply([0x3E, 1]) != nil)  // function 0xBE's exception, wrapped
        #expect(Clients.checkReply([0x83, 9]) != nil)
        #expect(Clients.checkReply([3, 4, 0, 1]) != nil)
        #expect(Clients.checkReply([6, 0, 0, 0]) != nil)
    }
}
