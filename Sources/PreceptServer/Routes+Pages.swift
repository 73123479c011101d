import HTTPTypes
import Hummingbird
import NIOCore
import Precept
import PreceptReport

/// The two pages for people: a logged decision's review page and the list of logged decisions,
/// server-side HTML in the reports' style.
extension Routes {
  /// `GET /v1/decisions/{id}.html`: the logged decision's review page.
  func decisionPage(_ id: String, _ client: Client) async throws(APIError) -> Response {
    guard ULID(id) != nil else { throw APIError(400, "`\(id)` is not a decision id: 26 letters and digits (a ULID), as `decision_id` gives it") }
    let row = try await service.decision(id: id.uppercased(), client: client)
    let input = try DecisionPage.input(row, session: service.session, options: service.options)
    return Self.html(200, DecisionReport.html(input))
  }

  /// `GET /`: the logged decisions this client may see, newest first, each linking to its page.
  func index(_ query: [String: String], _ client: Client) async throws(APIError) -> Response {
    // The page's form sends `rulebook=&outcome=` for "any".
    let query = query.filter { !$0.value.isEmpty }
    let q = try Self.logQuery(query)
    let (rows, next) = try await service.decisions(q, client: client)
    let listed = rows.map { row in
      DecisionList.Row(
        id: row.id, link: "/v1/decisions/\(row.id).html", receivedAt: row.receivedAt, asOf: row.asOf,
        rulebooks: DecisionPage.rulebooks(row), outcome: row.outcome, client: row.client)
    }
    let nextLink = next.map { cursor in
      var params = query.filter { $0.key != "cursor" }.sorted { $0.key < $1.key }
      params.append(("cursor", cursor))
      return "/?" + params.map { "\($0.key)=\(Self.percentEncoded($0.value))" }.joined(separator: "&")
    }
    let list = DecisionList(
      rows: listed, rulebook: q.rulebook, outcome: q.outcome.flatMap(Outcome.init(rawValue:)),
      rulebookChoices: service.session.rulebooks.map(\.id), next: nextLink, viewer: client.name, seesAll: client.admin)
    return Self.html(200, list.html())
  }

  /// A query value with everything but letters, digits and `-._~` percent-encoded (UTF-8).
  static func percentEncoded(_ s: String) -> String {
    var out = ""
    for b in s.utf8 {
      if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x2D || b == 0x2E || b == 0x5F || b == 0x7E {
        out.unicodeScalars.append(Unicode.Scalar(b))
      } else {
        let hex = Array("0123456789ABCDEF".unicodeScalars)
        out += "%"
        out.unicodeScalars.append(hex[Int(b >> 4)])
        out.unicodeScalars.append(hex[Int(b & 15)])
      }
    }
    return out
  }

  /// A page: HTML with the reports' policy also as a header, never cached (decisions are not public).
  static func html(_ status: Int, _ page: String) -> Response {
    Response(status: .init(code: status), headers: [
      .contentType: "text/html; charset=utf-8", .contentSecurityPolicy: DecisionReport.contentSecurityPolicy,
      .cacheControl: "no-store", .xContentTypeOptions: "nosniff",
    ], body: .init(byteBuffer: ByteBuffer(string: page)))
  }

  /// The words of a status this service gives.
  static func reason(_ status: Int) -> String {
    switch status {
    case 400: "Bad Request"
    case 401: "Unauthorized"
    case 403: "Forbidden"
    case 404: "Not Found"
    case 405: "Method Not Allowed"
    case 413: "Content Too Large"
    case 415: "Unsupported Media Type"
    case 422: "Unprocessable Content"
    case 503: "Service Unavailable"
    default: "Error"
    }
  }
}
