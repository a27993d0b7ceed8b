import Foundation
import Synchronization

@testable import OrchestraAgents

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal HTTP/1.1 server on 127.0.0.1 for testing the real HTTP client against a real socket: it records
/// each request and hands the connection to a handler that writes whatever bytes a test needs — a stream cut
/// short, a malformed body, an answer held back until the client has shown it streams, or nothing at all.
/// Every connection is answered on its own thread and closed after one exchange.
final class LocalHTTPServer: Sendable {
    /// One request as received.
    struct Request: Sendable {
        var method: String
        var path: String
        /// Header values by lowercased name.
        var headers: [String: String]
        var body: Data

        /// The body as JSON.
        var json: JSONValue? { try? JSONDecoder().decode(JSONValue.self, from: body) }
    }

    /// The accepted connection, for the handler to answer on.
    final class Connection: Sendable {
        fileprivate let socket: Int32

        fileprivate init(socket: Int32) { self.socket = socket }

        /// Writes `text` as UTF-8.
        func write(_ text: String) { write(Data(text.utf8)) }

        /// Writes `data`, all of it unless the client has gone.
        func write(_ data: Data) {
            data.withUnsafeBytes { buffer in
                guard let start = buffer.baseAddress else { return }
                var offset = 0
                while offset < buffer.count {
                    let sent = send(socket, start + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                    if sent <= 0 { return }
                    offset += sent
                }
            }
        }

        /// Writes a status line and headers for a body that ends when the connection closes.
        func writeHead(status: Int = 200, contentType: String) {
            write("HTTP/1.1 \(status) Status\r\nContent-Type: \(contentType)\r\nConnection: close\r\n\r\n")
        }

        /// Waits until the client closes its end, up to `limit`; whether it did.
        func waitForClientToClose(within limit: Duration) -> Bool {
            let deadline = ContinuousClock.now + limit
            var byte: UInt8 = 0
            while ContinuousClock.now < deadline {
                var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                if poll(&poller, 1, 50) > 0 {
                    if recv(socket, &byte, 1, 0) <= 0 { return true }
                }
            }
            return false
        }
    }

    /// The port the server listens on.
    let port: Int
    private let listener: Int32
    private let received = Received()

    private final class Received: Sendable {
        let requests = Mutex<[Request]>([])
        /// Set once the listener is closed: its descriptor may by then belong to another test's server.
        let stopped = Atomic(false)
    }

    /// The server's root, as `http://127.0.0.1:PORT`.
    var baseURL: URL {
        var components = URLComponents()
        components.scheme = "http"
        components.host = "127.0.0.1"
        components.port = port
        return components.url ?? URL(fileURLWithPath: "/")
    }

    /// The requests received so far.
    var requests: [Request] { received.requests.withLock { $0 } }

    /// Listens on a free port and answers every request with `handler`, on the connection's own thread.
    init(_ handler: @escaping @Sendable (Request, Connection) -> Void) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard listener >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(listener, socketAddress, length) == 0 && listen(listener, 16) == 0
                    && getsockname(listener, socketAddress, &length) == 0
            }
        }
        guard bound else {
            close(listener)
            throw POSIXError(.EADDRINUSE)
        }
        self.listener = listener
        port = Int(UInt16(bigEndian: address.sin_port))
        let received = received
        Thread.detachNewThread {
            while !received.stopped.load(ordering: .acquiring) {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                Thread.detachNewThread {
                    defer { close(client) }
                    guard let request = Self.read(client) else { return }
                    received.requests.withLock { $0.append(request) }
                    handler(request, Connection(socket: client))
                }
            }
        }
    }

    /// Stops accepting connections.
    func stop() {
        guard !received.stopped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    deinit { stop() }

    /// Reads one request: its head, then as many body bytes as `Content-Length` says.
    private static func read(_ socket: Int32) -> Request? {
        var bytes = Data()
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let separator = Data("\r\n\r\n".utf8)
        var headEnd: Range<Data.Index>?
        var expected = 0
        while true {
            if headEnd == nil, let found = bytes.range(of: separator) {
                headEnd = found
                let head = String(decoding: bytes[..<found.lowerBound], as: UTF8.self)
                let length = head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("content-length:") }
                expected = length.flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
            }
            if let headEnd, bytes.count - headEnd.upperBound >= expected { break }
            let count = recv(socket, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            bytes.append(contentsOf: buffer[..<count])
        }
        guard let headEnd else { return nil }
        let lines = String(decoding: bytes[..<headEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ")
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return Request(
            method: requestLine.count > 0 ? String(requestLine[0]) : "",
            path: requestLine.count > 1 ? String(requestLine[1]) : "",
            headers: headers,
            body: Data(bytes[headEnd.upperBound...]))
    }
}

extension LocalHTTPServer.Connection {
    /// Writes one Server-Sent Event with `data`.
    func writeEvent(_ data: String) { write("data: \(data)\n\n") }

    /// Writes a `chat.completion.chunk` event whose delta has `content`.
    func writeToken(_ content: String) {
        writeEvent(
            #"{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":\#(JSONValue.string(content))}}]}"#
        )
    }
}
