/// A problem with a user's input file: printed as "Error: FILE:LINE: problem", exit code 1.
struct InputError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
