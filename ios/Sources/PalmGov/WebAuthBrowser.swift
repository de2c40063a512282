#if canImport(AuthenticationServices)
import AuthenticationServices
import Foundation

/// The `Browser` hook on `ASWebAuthenticationSession` (RFC 8252: the system
/// browser, never a web view the app could read passwords from).
///
/// The core calls `authorize` on one of its blocking worker threads; the
/// session is started on the main thread and this call waits for the
/// callback. Works for a custom scheme and, on iOS 17.4+, for a claimed
/// https universal link.
public final class WebAuthBrowser: NSObject, Browser, ASWebAuthenticationPresentationContextProviding,
    @unchecked Sendable
{
    private let anchor: @MainActor () -> ASPresentationAnchor
    private let timeout: TimeInterval

    /// `anchor` returns the window to present from.
    public init(timeout: TimeInterval = 600, anchor: @escaping @MainActor () -> ASPresentationAnchor) {
        self.anchor = anchor
        self.timeout = timeout
    }

    public func authorize(url: String, redirectUri: String) throws -> String {
        precondition(!Thread.isMainThread, "the core never calls hooks on the main thread")
        guard let start = URL(string: url), let redirect = URL(string: redirectUri) else {
            throw HookError.Failed(reason: "bad url")
        }
        let done = DispatchSemaphore(value: 0)
        let result = HookResult<String>()
        var session: ASWebAuthenticationSession?
        DispatchQueue.main.async {
            let handler: ASWebAuthenticationSession.CompletionHandler = { callback, error in
                if let callback {
                    result.set(.success(callback.absoluteString))
                } else if let error = error as? ASWebAuthenticationSessionError, error.code == .canceledLogin {
                    result.set(.failure(HookError.Cancelled))
                } else {
                    result.set(.failure(HookError.Failed(reason: "web authentication failed")))
                }
                done.signal()
            }
            if #available(iOS 17.4, macOS 14.4, *), redirect.scheme == "https", let host = redirect.host {
                session = ASWebAuthenticationSession(
                    url: start, callback: .https(host: host, path: redirect.path), completionHandler: handler)
            } else {
                session = ASWebAuthenticationSession(
                    url: start, callbackURLScheme: redirect.scheme, completionHandler: handler)
            }
            session?.presentationContextProvider = self
            // No shared cookies with Safari: each sign-in starts clean, as
            // government providers expect on shared family phones.
            session?.prefersEphemeralWebBrowserSession = true
            if session?.start() != true {
                result.set(.failure(HookError.Unavailable))
                done.signal()
            }
        }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            DispatchQueue.main.async { session?.cancel() }
            throw HookError.Cancelled
        }
        return try result.get()
    }

    @MainActor
    public func presentationAnchor(for session: ASWebAuthenticationSession) -> ASPresentationAnchor {
        anchor()
    }
}

#endif
