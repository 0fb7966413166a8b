/// Redirects, all eventually pointing at `/good` on this same server unless the point is that
/// they cannot be followed. The device follows only when told to, only some codes, only a
/// Location that starts with `/` or with its own lower-case scheme, and at most 10 hops.
enum RedirectScenarios {
    static let all: [Scenario] = sameHostRedirects + [
        Scenario(name: "redirect-relative", summary: "302 with Location: /good (path only)") { _ in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: "/good")
        },
        Scenario(
            name: "redirect-relative-no-slash",
            summary: "302 with Location: good (a relative path without the leading slash)"
        ) { _ in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: "good")
        },
        Scenario(
            name: "redirect-protocol-relative",
            summary: "302 with Location: //127.0.0.1:<port>/good (scheme-relative URL)"
        ) { context in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: "//\(context.host):\(context.port)/good")
        },
        Scenario(name: "redirect-https", summary: "302 to https://127.0.0.1:<port>/good (switches to https)") { context in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: "https://\(context.host):\(context.port)/good")
        },
        Scenario(
            name: "redirect-uppercase-scheme",
            summary: "302 to HTTP://127.0.0.1:<port>/good (upper-case scheme)"
        ) { context in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: "HTTP://\(context.host):\(context.port)/good")
        },
        Scenario(name: "redirect-localhost", summary: "302 to http://localhost:<port>/good (same server, other host name)") { context in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: "http://localhost:\(context.port)/good")
        },
        Scenario(name: "redirect-no-location", summary: "302 without a Location header") { _ in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: nil)
        },
        Scenario(name: "redirect-loop", summary: "302 to http://127.0.0.1:<port>/redirect-loop, itself, forever") { context in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: "\(context.origin)/redirect-loop")
        },
        Scenario(
            name: "redirect-chain-2",
            summary: "302 to http://127.0.0.1:<port>/redirect-302, which redirects to /good (two hops)"
        ) { context in
            ResponseRecipe.redirect(status: 302, reason: "Found", location: "\(context.origin)/redirect-302")
        },
    ]

    /// `redirect-<code>`: an absolute same-host Location to /good, for every redirect code.
    private static let sameHostRedirects: [Scenario] = [
        (301, "Moved Permanently"), (302, "Found"), (303, "See Other"),
        (307, "Temporary Redirect"), (308, "Permanent Redirect"),
    ].map { code, reason in
        Scenario(name: "redirect-\(code)", summary: "\(code) to http://127.0.0.1:<port>/good (absolute, same host)") { context in
            ResponseRecipe.redirect(status: code, reason: reason, location: "\(context.origin)/good")
        }
    }
}
