import CModbus

extension ModbusServer {
    /// A TCP client whose bytes are handed in by the caller instead of read from a socket, for
    /// in-process fuzzing (`bmssim-fuzz`): its frames go through the server's own assembly,
    /// admission and answer path, and the replies go out on the socket the caller named.
    @_spi(Fuzzing) public struct InjectedClient {
        var connection: Connection
        var query = [UInt8](repeating: 0, count: Int(MODBUS_TCP_MAX_ADU_LENGTH))
        /// False once the server would have closed the connection (not Modbus, replies not read).
        public internal(set) var isOpen = true
    }

    /// A client at `peer` ("ip:port") whose replies are written to `fd` (one end of a socket
    /// pair the caller owns and closes). Use it on a server that was not started.
    @_spi(Fuzzing) public func injectClient(peer: String, replyingOn fd: Int32) -> InjectedClient {
        InjectedClient(connection: Connection(fd: fd, peer: peer, lastFrame: clock.now))
    }

    /// Hands `bytes` to the client as if just received; false once the server would close it
    /// (the rest is ignored, as on a closed socket).
    @_spi(Fuzzing) @discardableResult
    public func inject(_ bytes: UnsafeBufferPointer<UInt8>, into client: inout InjectedClient) -> Bool {
        guard client.isOpen else { return false }
        client.isOpen = consume(bytes, &client.connection, &client.query)
        return client.isOpen
    }

    /// Ends the client's connection: the service hears it closed.
    @_spi(Fuzzing) public func disconnect(_ client: inout InjectedClient) {
        client.isOpen = false
        let now = clock.now
        state.withLock { $0.service.disconnected(peer: client.connection.peer, now: now) }
    }
}
