import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// What URLSession reports of one HTTP exchange, in order: the response's head, then its body as it arrives.
enum HTTPEvent: Sendable {
    /// The status line and headers.
    case head(status: Int, contentType: String?)
    /// The next bytes of the body, cut wherever the network cut them.
    case body(Data)
}

/// Sends requests on one URLSession and hands each exchange's events to the caller as they happen.
///
/// `URLSession.bytes(for:)` does not exist in FoundationNetworking, and `data(for:)` returns only once the body
/// has ended. A session delegate's `urlSession(_:dataTask:didReceive:)` receives the body as it arrives on every
/// platform, so the transport is the session's delegate and routes each task's callbacks to that task's stream.
/// One session per model keeps connections alive from request to request; the session is invalidated when the
/// last copy of the model goes away.
final class HTTPTransport: Sendable {
    private let session: URLSession
    private let router: Router

    init(configuration: URLSessionConfiguration) {
        router = Router()
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        queue.name = "Orchestra.HTTPTransport"
        session = URLSession(configuration: configuration, delegate: router, delegateQueue: queue)
    }

    deinit {
        session.invalidateAndCancel()
    }

    /// Sends `request` and returns its events. The stream throws the `URLError` that ended the exchange, if one
    /// did, and `URLError(.timedOut)` when the server sends nothing for `idleTimeout`; ending iteration early — or
    /// cancelling the iterating task — cancels the request.
    ///
    /// The idle timeout is kept here, to the nanosecond, because FoundationNetworking truncates a request's
    /// `timeoutInterval` to whole seconds (a limit of 0.3 s fails at once). The request's own interval is set
    /// beyond it, as a backstop.
    func send(_ request: URLRequest, idleTimeout: Duration) -> AsyncThrowingStream<HTTPEvent, any Error> {
        let (events, sink) = AsyncThrowingStream.makeStream(of: HTTPEvent.self, throwing: (any Error).self)
        var request = request
        request.timeoutInterval = min(idleTimeout.seconds.rounded(.up) + 1, Self.longestTimeout.seconds)
        let task = session.dataTask(with: request)
        let activity = Activity()
        // A limit beyond a year means none: no watchdog, whose deadline would not fit a clock instant.
        let watchdog: Task<Void, any Error>? =
            idleTimeout > Self.longestTimeout
            ? nil
            : Task {
                var deadline = activity.last + idleTimeout
                while true {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    let last = activity.last
                    if ContinuousClock.now >= last + idleTimeout { break }
                    deadline = last + idleTimeout
                }
                sink.finish(throwing: URLError(.timedOut))
            }
        // Set before anything can finish the stream: a handler set after the end is never called.
        sink.onTermination = { _ in
            watchdog?.cancel()
            task.cancel()
        }
        router.route(task.taskIdentifier, to: Route(sink: sink, activity: activity))
        task.resume()
        return events
    }

    /// The longest idle timeout kept; a longer one is no timeout at all.
    static let longestTimeout = Duration.seconds(31_536_000)

    /// When an exchange last heard from the server.
    private final class Activity: Sendable {
        private let start = ContinuousClock.now
        private let nanoseconds = Atomic<Int64>(0)

        var last: ContinuousClock.Instant { start + .nanoseconds(nanoseconds.load(ordering: .relaxed)) }

        func touch() {
            let (seconds, attoseconds) = (ContinuousClock.now - start).components
            nanoseconds.store(seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000, ordering: .relaxed)
        }
    }

    /// Where a task's callbacks go.
    private struct Route: Sendable {
        var sink: AsyncThrowingStream<HTTPEvent, any Error>.Continuation
        var activity: Activity
    }

    /// The session's delegate: passes each task's callbacks to its stream.
    private final class Router: NSObject, URLSessionDataDelegate, Sendable {
        private let routes = Mutex<[Int: Route]>([:])

        func route(_ task: Int, to route: Route) {
            routes.withLock { $0[task] = route }
        }

        /// The stream of `task`, which has just heard from the server.
        private func sink(of task: URLSessionTask) -> AsyncThrowingStream<HTTPEvent, any Error>.Continuation? {
            let route = routes.withLock { $0[task.taskIdentifier] }
            route?.activity.touch()
            return route?.sink
        }

        func urlSession(
            _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
            completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
        ) {
            let http = response as? HTTPURLResponse
            let contentType = http?.value(forHTTPHeaderField: "Content-Type")
            sink(of: dataTask)?.yield(.head(status: http?.statusCode ?? 0, contentType: contentType))
            completionHandler(.allow)
        }

        /// Refuses every redirect, so that the 3xx reaches the caller as an HTTP error: a redirected request
        /// would carry the API key to wherever the server points, and lose its body on the way.
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }

        func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
            sink(of: dataTask)?.yield(.body(data))
        }

        func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
            let sink = routes.withLock { $0.removeValue(forKey: task.taskIdentifier) }?.sink
            if let error {
                sink?.finish(throwing: error)
            } else {
                sink?.finish()
            }
        }
    }
}
