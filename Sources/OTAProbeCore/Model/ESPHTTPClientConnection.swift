/// The connection `esp_http_client` holds open (`client->state >= HTTP_STATE_CONNECTED`), and
/// whether the server has closed it since; shared by the models that drive esp_http_client
/// (`ESPIDFOTAModel`, ESPHome's `ESPHomeOTAModel`).
///
/// `esp_http_client_connect()` connects only below HTTP_STATE_CONNECTED (v4.4.8
/// esp_http_client.c:1267; v5.1.7 :1402; v5.4.4 :1531; v5.5.5 :1603) and nothing in
/// `_http_connect`'s loop lowers the state, so the next request goes over this connection unless
/// `esp_http_client_set_url()` closed it for a new host (strcasecmp) or port (v4.4.8 :902-938;
/// v5.1.7 :1008-1044; v5.4.4 :1094-1133; v5.5.5 :1174-1209) — a new scheme alone keeps it, with
/// its transport: plain stays plain.
struct ESPHTTPClientConnection: Sendable {
    let host: String
    let port: Int
    let tls: Bool
    var closedByServer = false

    /// `esp_http_client_set_url()` keeps the connection for this host and port (strcasecmp).
    func isKept(forHost otherHost: String, port otherPort: Int) -> Bool {
        host.lowercased() == otherHost.lowercased() && port == otherPort
    }
}
