import HTTPTypes
import Hummingbird
import NIOCore
import Precept
import PreceptReport

/// The service's HTTP routes: one table of paths and methods, so an unknown path is a 404 and a
/// known path with the wrong method a 405 (with `Allow`). Authentication, limits, metrics and
/// errors are handled here once; every failure is a JSON `{"errors": [...]}` with a 4xx status
/// (503 when the log cannot be written), never a 500 for bad input — or, for a browser (`Accept:
/// text/html`) on an HTML page's route, the same status with a page saying the same.
struct Routes: HTTPResponder {
  typealias Context = BasicRequestContext
  let service: DecisionService

  /// A route: its template (the metrics label), methods, and whether it needs a token or admin rights.
  enum Access { case open, client, admin }
  struct Route {
    var template: String
    var method: HTTPRequest.Method
    var access: Access
    var query: Set<String>
  }

  static let routes: [Route] = [
    Route(template: "/", method: .get, access: .client, query: ["rulebook", "outcome", "since", "until", "limit", "cursor"]),
    Route(template: "/healthz", method: .get, access: .open, query: []),
    Route(template: "/readyz", method: .get, access: .open, query: []),
    Route(template: "/metrics", method: .get, access: .open, query: []),
    Route(template: "/openapi.yaml", method: .get, access: .open, query: []),
    Route(template: "/login", method: .get, access: .open, query: ["token"]),
    Route(template: "/v1/check", method: .post, access: .client, query: ["as_of", "stage"]),
    Route(template: "/v1/eval", method: .post, access: .client, query: ["as_of", "stage"]),
    Route(template: "/v1/decisions", method: .get, access: .client, query: ["rulebook", "outcome", "since", "until", "limit", "cursor"]),
    Route(template: "/v1/decisions/{id}", method: .get, access: .client, query: []),
    Route(template: "/v1/decisions/{id}.html", method: .get, access: .client, query: []),
    Route(template: "/v1/rulebooks", method: .get, access: .client, query: []),
    Route(template: "/v1/admin/reload", method: .post, access: .admin, query: []),
  ]

  /// The routes that answer with an HTML page.
  static let pages: Set<String> = ["/", "/v1/decisions/{id}.html"]

  /// The route template a path matches (`/v1/decisions/{id}` or `/v1/decisions/{id}.html` with its id), if any.
  static func match(_ path: String) -> (template: String, id: String?)? {
    if routes.contains(where: { $0.template == path }) { return (path, nil) }
    let prefix = "/v1/decisions/"
    if path.hasPrefix(prefix) {
      let id = String(path.dropFirst(prefix.count))
      if id.count > 5, id.hasSuffix(".html"), !id.contains("/") { return ("/v1/decisions/{id}.html", String(id.dropLast(5))) }
      if !id.isEmpty, !id.contains("/") { return ("/v1/decisions/{id}", id) }
    }
    return nil
  }

  func respond(to request: Request, context: Context) async throws -> Response {
    let clock = ContinuousClock()
    let start = clock.now
    let matched = Self.match(request.uri.path)
    // A browser asking for a page is answered with a page, failures too.
    let page = matched.map { Self.pages.contains($0.template) } == true && request.headers[.accept]?.contains("text/html") == true
    let response: Response
    do {
      response = try await route(request, matched)
    } catch let e as APIError {
      response = Self.failure(e, page: page)
    } catch {
      // Reading the body failed or was too large; nothing else throws here.
      response = error is NIOTooManyBytesError
        ? Self.failure(APIError(413, "the body is larger than --max-body (\(service.options.maxBody) bytes)"))
        : Self.failure(APIError(400, "the request could not be read: \(error)"), page: page)
    }
    service.metrics.request(route: matched?.template ?? "unmatched", status: Int(response.status.code), duration: start.duration(to: clock.now))
    return response
  }

  private func route(_ request: Request, _ matched: (template: String, id: String?)?) async throws -> Response {
    guard let (template, id) = matched else { throw APIError(404, "no route \(request.uri.path)") }
    let candidates = Self.routes.filter { $0.template == template }
    guard let route = candidates.first(where: { $0.method == request.method }) else {
      var e = Self.failure(APIError(405, "\(template) accepts \(candidates.map(\.method.rawValue).joined(separator: ", ")), not \(request.method.rawValue)"))
      e.headers[.allow] = candidates.map(\.method.rawValue).joined(separator: ", ")
      return e
    }
    let query = try Self.query(request, allowed: route.query)
    let client = try authenticate(request, route.access)
    switch template {
    case "/healthz": return Self.json(200, .object([("status", .string("ok"))]))
    case "/readyz":
      return service.isDraining
        ? Self.json(503, .object([("status", .string("draining"))]))
        : Self.json(200, .object([("status", .string("ready")), ("rulebooks", .int(service.session.rulebooks.count))]))
    case "/metrics":
      return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                      body: .init(byteBuffer: ByteBuffer(bytes: service.metrics.text())))
    case "/openapi.yaml":
      return Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: OpenAPISpec.text)))
    case "/login": return try login(query)
    case "/": return try await index(query, client)
    case "/v1/decisions/{id}.html": return try await decisionPage(id ?? "", client)
    case "/v1/check": return try await check(request, query, client)
    case "/v1/eval": return try eval(request, query, client)
    case "/v1/decisions": return try await list(query, client)
    case "/v1/decisions/{id}":
      let row = try await service.decision(id: id ?? "", client: client)
      return Self.json(200, row.json)
    case "/v1/rulebooks": return Self.json(200, service.rulebooks())
    case "/v1/admin/reload": return reload()
    default: throw APIError(404, "no route \(request.uri.path)")
    }
  }

  // MARK: - Authentication

  /// The client making the request: from `Authorization: Bearer TOKEN` or the login cookie.
  private func authenticate(_ request: Request, _ access: Access) throws(APIError) -> Client {
    guard access != .open else { return .local }
    guard let table = service.options.tokens else { return .local }
    var token: String?
    if let header = request.headers[.authorization] {
      guard header.hasPrefix("Bearer "), header.count > 7 else { throw APIError(401, "the Authorization header must be `Bearer TOKEN`") }
      token = String(header.dropFirst(7)).trimmingSpaces
    } else if let cookies = request.headers[.cookie] {
      for part in cookies.split(separator: ";") {
        let kv = part.trimmingSpaces
        if kv.hasPrefix("precept_token=") { token = String(kv.dropFirst("precept_token=".count)) }
      }
    }
    guard let token else { throw APIError(401, "a token is needed: send `Authorization: Bearer TOKEN`") }
    guard let client = table.client(token: token) else { throw APIError(401, "the token is not known") }
    if access == .admin, !client.admin { throw APIError(403, "client `\(client.name)` may not use the admin routes") }
    return client
  }

  /// `GET /login?token=…`: sets the token as an HttpOnly, SameSite=Strict cookie for browsers.
  private func login(_ query: [String: String]) throws(APIError) -> Response {
    guard let token = query["token"], !token.isEmpty else { throw APIError(400, "give the token as /login?token=…") }
    guard let table = service.options.tokens else { return Self.json(200, .object([("client", .string(Client.local.name))])) }
    guard let client = table.client(token: token) else { throw APIError(401, "the token is not known") }
    var r = Self.json(200, .object([("client", .string(client.name))]))
    r.headers[.setCookie] = "precept_token=\(token); HttpOnly; SameSite=Strict; Path=/"
    return r
  }

  // MARK: - Decisions

  private func check(_ request: Request, _ query: [String: String], _ client: Client) async throws -> Response {
    let json = try Self.bodyIsJSON(request, json: ["application/json"], yaml: ["application/yaml", "application/x-yaml", "text/yaml"])
    let (asOf, stage) = try Self.dateAndStage(query)
    let limit = service.options.maxBody
    if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
      throw APIError(413, "the body is larger than --max-body (\(limit) bytes)")
    }
    let buffer = try await request.body.collect(upTo: limit)
    let checked = try await service.check(body: Array(buffer.readableBytesView), json: json, asOf: asOf, stage: stage, client: client)
    return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: checked.body)))
  }

  private func eval(_ request: Request, _ query: [String: String], _ client: Client) throws -> Response {
    _ = try Self.bodyIsJSON(request, json: ["application/x-ndjson", "application/jsonl", "application/json-lines"], yaml: [])
    let (asOf, stage) = try Self.dateAndStage(query)
    let service = self.service
    return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: ResponseBody { writer in
      let stream = EvalStream(service: service, asOf: asOf, stage: stage, client: client)
      do {
        for try await chunk in request.body {
          let out = try await stream.feed(chunk.readableBytesView)
          if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
        }
        let out = try await stream.finish()
        if !out.isEmpty { try await writer.write(ByteBuffer(bytes: out)) }
      } catch let e as APIError {
        // The status is sent; the stream ends with the reason, and nothing after it was decided.
        let message = e.errors.first.map { $0.serialized() } ?? "{}"
        try await writer.write(ByteBuffer(string: #"{"error":"# + message + "}\n"))
      }
      try await writer.finish(nil)
    })
  }

  private func list(_ query: [String: String], _ client: Client) async throws -> Response {
    let (rows, next) = try await service.decisions(try Self.logQuery(query), client: client)
    return Self.json(200, .object([("decisions", .array(rows.map(\.json))), ("next_cursor", next.map { .string($0) } ?? .null)]))
  }

  /// The filters and page of `/v1/decisions` (and of `/`), checked.
  static func logQuery(_ query: [String: String]) throws(APIError) -> LogQuery {
    var q = LogQuery()
    q.rulebook = query["rulebook"]
    if let o = query["outcome"] {
      guard Outcome(rawValue: o) != nil else { throw APIError(400, "outcome `\(o)` is not one of " + Outcome.allCases.map(\.rawValue).joined(separator: ", ")) }
      q.outcome = o
    }
    for (key, keep) in [("since", \LogQuery.since), ("until", \LogQuery.until)] as [(String, WritableKeyPath<LogQuery, String?>)] {
      if let t = query[key] {
        guard let ms = Timestamp.parse(t) else { throw APIError(400, "\(key) `\(t)` is not an RFC 3339 timestamp such as 2026-11-23T09:30:00Z") }
        q[keyPath: keep] = Timestamp.text(ms)
      }
    }
    if let l = query["limit"] {
      guard let n = Int(l), (1...1000).contains(n) else { throw APIError(400, "limit must be a whole number from 1 to 1000, found `\(l)`") }
      q.limit = n
    }
    if let c = query["cursor"] {
      guard ULID(c) != nil else { throw APIError(400, "cursor `\(c)` is not a cursor this service gave") }
      q.before = c.uppercased()
    }
    return q
  }

  private func reload() -> Response {
    switch service.reload() {
    case .success:
      return Self.json(200, service.rulebooks())
    case .failure(let e):
      var errors: [JSON] = e.unreadable.map { .object([("message", .string("cannot read \($0.path): \($0.reason)"))]) }
      if !e.noRulebookIn.isEmpty { errors.append(.object([("message", .string("no rulebook with rules found in \(e.noRulebookIn.joined(separator: ", "))"))])) }
      for d in e.diagnostics where d.severity == .error {
        errors.append(.object([
          ("message", .string("\(d.span.file):\(d.span.start.line):\(d.span.start.column): error[\(d.code.rawValue)]: \(d.message)")),
          ("code", .string(d.code.rawValue)), ("file", .string(d.span.file)), ("line", .int(d.span.start.line)), ("column", .int(d.span.start.column)),
        ]))
      }
      return Self.failure(APIError(422, errors: errors))
    }
  }

  // MARK: - Reading requests, writing responses

  /// The query's parameters; 400 for one the route does not take, or one given twice.
  static func query(_ request: Request, allowed: Set<String>) throws(APIError) -> [String: String] {
    var out: [String: String] = [:]
    for (k, v) in request.uri.queryParameters {
      let key = String(k)
      guard allowed.contains(key) else {
        throw APIError(400, allowed.isEmpty ? "this route takes no query parameters, found `\(key)`" : "unknown query parameter `\(key)`; this route takes " + allowed.sorted().joined(separator: ", "))
      }
      guard out[key] == nil else { throw APIError(400, "query parameter `\(key)` is given twice") }
      out[key] = String(v)
    }
    return out
  }

  /// Whether the body is JSON (else YAML), by its Content-Type; 415 for another type.
  static func bodyIsJSON(_ request: Request, json: Set<String>, yaml: Set<String>) throws(APIError) -> Bool {
    let type = request.headers[.contentType]?.split(separator: ";").first.map { String($0).trimmingSpaces.lowercased() } ?? ""
    if json.contains(type) { return true }
    if yaml.contains(type) { return false }
    throw APIError(415, "Content-Type must be " + (json.sorted() + yaml.sorted()).joined(separator: " or ") + (type.isEmpty ? "" : ", not \(type)"))
  }

  /// `as_of` (default today in UTC) and `stage` from the query.
  static func dateAndStage(_ query: [String: String]) throws(APIError) -> (CivilDate, Stage?) {
    var date = CivilDate(daysSinceEpoch: Int(Timestamp.now() / 86_400_000)) ?? CivilDate(year: 1970, month: 1, day: 1)
    if let t = query["as_of"] {
      guard case .success(let d) = CivilDate.parse(t) else { throw APIError(400, "as_of `\(t)` is not a date; write YYYY-MM-DD") }
      date = d
    }
    var stage: Stage?
    if let s = query["stage"] {
      guard let st = Stage(rawValue: s) else { throw APIError(400, "stage `\(s)` is not a stage; use one of " + Stage.allCases.map(\.rawValue).joined(separator: ", ")) }
      stage = st
    }
    guard let date else { throw APIError(400, "as_of could not be read") }
    return (date, stage)
  }

  static func json(_ status: Int, _ body: JSON) -> Response {
    var bytes = body.bytes()
    bytes.append(0x0A)
    return Response(status: .init(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  static func failure(_ e: APIError, page: Bool = false) -> Response {
    var r: Response
    if page {
      let messages = e.errors.compactMap { DecisionPage.string($0, "message") }
      let hint = e.status == 401 ? "Log in once with /login?token=YOUR_TOKEN: it sets a cookie that these pages accept in place of the Authorization header." : nil
      r = html(e.status, MessagePage.html(title: "\(e.status) \(reason(e.status))", messages: messages, hint: hint))
    } else {
      r = Response(status: .init(code: e.status), headers: [.contentType: "application/json"],
                   body: .init(byteBuffer: ByteBuffer(string: e.body + "\n")))
    }
    if e.status == 401 { r.headers[.wwwAuthenticate] = #"Bearer realm="precept""# }
    return r
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    let s = self.drop { $0 == " " || $0 == "\t" }
    return String(s.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }
}
