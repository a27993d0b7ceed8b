import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An open file descriptor. It closes itself when it goes out of scope, so no path through a `throw` leaks one;
/// `close()` closes it and reports the error.
struct Descriptor: ~Copyable, Sendable {
    let raw: Int32

    init(raw: Int32) { self.raw = raw }

    deinit { _ = closeDescriptor(raw) }

    /// Closes the descriptor, returning `errno` on failure and 0 on success. Never retried: on Linux the
    /// descriptor is gone even when `close` reports `EINTR`.
    consuming func close() -> Int32 {
        let raw = self.raw
        discard self
        return closeDescriptor(raw) == 0 ? 0 : errno
    }
}

private func closeDescriptor(_ raw: Int32) -> Int32 { close(raw) }

/// One of the store's files: its name in the store's directory, and what an error about it says.
struct StoreFile: Sendable {
    /// The file's name in the directory.
    let name: String
    /// The directory's path, without a trailing slash.
    let directory: String
    /// The run the file belongs to.
    let runID: RunID?

    /// The file's path, for errors.
    var path: String { directory + "/" + name }

    /// The error for a failed system call.
    func ioError(_ operation: String, _ code: Int32) -> CheckpointError {
        CheckpointError(
            code: .io, runID: runID, location: path, message: "could not \(operation) \(path): \(describe(code))")
    }

    /// The error for a record that cannot be read.
    func corrupt(_ message: String, underlying: (any Error)? = nil) -> CheckpointError {
        CheckpointError(code: .corrupt, runID: runID, location: path, message: message, underlying: underlying)
    }

    /// Opens the file; `nil` when it does not exist (and `flags` has no `O_CREAT`).
    func open(in directory: borrowing Descriptor, flags: Int32) throws(CheckpointError) -> Descriptor? {
        while true {
            let raw = openat(directory.raw, name, flags | O_CLOEXEC, 0o644)
            if raw >= 0 { return Descriptor(raw: raw) }
            switch errno {
            case EINTR: continue
            case ENOENT where flags & O_CREAT == 0: return nil
            case let code: throw ioError("open", code)
            }
        }
    }

    /// Writes all of `bytes` at `offset`, however many calls that takes.
    func write(_ bytes: Data, to file: borrowing Descriptor, at offset: Int) throws(CheckpointError) {
        var failure: Int32 = 0
        bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            var written = 0
            while written < buffer.count {
                let count = pwrite(file.raw, base + written, buffer.count - written, off_t(offset + written))
                if count >= 0 {
                    written += count
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure != 0 { throw ioError("write", failure) }
    }

    /// Reads up to `limit` bytes from the start of the file; fewer when it is shorter.
    func read(_ file: borrowing Descriptor, upTo limit: Int) throws(CheckpointError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: limit)
        var count = 0
        var failure: Int32 = 0
        bytes.withUnsafeMutableBytes { buffer in
            guard let base = buffer.baseAddress else { return }
            while count < limit {
                let read = pread(file.raw, base + count, limit - count, off_t(count))
                if read > 0 {
                    count += read
                } else if read == 0 {
                    return
                } else if errno != EINTR {
                    failure = errno
                    return
                }
            }
        }
        if failure != 0 { throw ioError("read", failure) }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// The whole file, or `nil` when it does not exist.
    func contents(in directory: borrowing Descriptor) throws(CheckpointError) -> [UInt8]? {
        guard let file = try open(in: directory, flags: O_RDONLY) else { return nil }
        return try read(file, upTo: size(of: file))
    }

    /// The file's length in bytes.
    func size(of file: borrowing Descriptor) throws(CheckpointError) -> Int {
        var info = stat()
        guard fstat(file.raw, &info) == 0 else { throw ioError("read the size of", errno) }
        return Int(info.st_size)
    }

    /// Cuts the file to `length` bytes.
    func truncate(_ file: borrowing Descriptor, to length: Int) throws(CheckpointError) {
        while ftruncate(file.raw, off_t(length)) != 0 {
            if errno != EINTR { throw ioError("truncate", errno) }
        }
    }

    /// Flushes the file's data to the device (see `synchronizeDescriptor(_:)`).
    func synchronize(_ file: borrowing Descriptor) throws(CheckpointError) {
        let code = synchronizeDescriptor(file.raw)
        if code != 0 { throw ioError("flush to disk", code) }
    }

    /// Closes the file.
    func close(_ file: consuming Descriptor) throws(CheckpointError) {
        let code = file.close()
        if code != 0 { throw ioError("close", code) }
    }

    /// Renames the file to `other`'s name, replacing that file atomically.
    func rename(to other: StoreFile, in directory: borrowing Descriptor) throws(CheckpointError) {
        guard renameat(directory.raw, name, directory.raw, other.name) == 0 else {
            throw ioError("rename to \(other.name)", errno)
        }
    }

    /// Removes the file; one that does not exist is fine.
    func remove(in directory: borrowing Descriptor) throws(CheckpointError) {
        guard unlinkat(directory.raw, name, 0) == 0 || errno == ENOENT else { throw ioError("remove", errno) }
    }
}

/// Flushes a file's (or directory's) data to the device, returning `errno` on failure and 0 on success.
///
/// Linux uses `fdatasync`: it skips the modification time but, like `fsync`, writes the length and whatever else
/// reading the data back needs. Darwin's `fsync` only reaches the drive's cache, so it uses `F_FULLFSYNC` there,
/// and `fsync` where the file system does not support it.
func synchronizeDescriptor(_ raw: Int32) -> Int32 {
    while true {
        #if canImport(Darwin)
            if fcntl(raw, F_FULLFSYNC) == 0 { return 0 }
            if fsync(raw) == 0 { return 0 }
        #else
            if fdatasync(raw) == 0 { return 0 }
        #endif
        if errno != EINTR { return errno }
    }
}

/// Creates the directory at `path` and any missing parents, as `mkdir -p` does, then opens it.
func openDirectory(_ path: String) throws(CheckpointError) -> Descriptor {
    func failure(_ operation: String, _ path: String, _ code: Int32) -> CheckpointError {
        CheckpointError(
            code: .io, location: path, message: "could not \(operation) \(path): \(describe(code))")
    }
    func create(_ path: String) throws(CheckpointError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw failure("use as the directory", path, ENOTDIR) }
            return
        }
        guard errno == ENOENT else { throw failure("use as the directory", path, errno) }
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex {
            try create(String(path[..<slash]))
        }
        guard mkdir(path, 0o755) == 0 || errno == EEXIST else { throw failure("create the directory", path, errno) }
    }
    try create(path)
    while true {
        let raw = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if raw >= 0 { return Descriptor(raw: raw) }
        if errno != EINTR { throw failure("open the directory", path, errno) }
    }
}

/// The system's description of an `errno` value, as in `No space left on device`.
func describe(_ code: Int32) -> String {
    strerror(code).map { String(cString: $0) } ?? "error \(code)"
}
