import Foundation
import Precept

/// Times in the log: milliseconds since 1970, written in RFC 3339 UTC with milliseconds
/// (`2026-11-23T09:30:00.123Z`), a form whose text order is its time order.
public enum Timestamp {
  /// Now, in milliseconds since 1970.
  public static func now() -> UInt64 {
    UInt64(max(0, (Date().timeIntervalSince1970 * 1000).rounded(.down)))
  }

  /// `ms` as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
  public static func text(_ ms: UInt64) -> String {
    let seconds = Int(ms / 1000)
    let (days, second) = seconds.quotientAndRemainder(dividingBy: 86_400)
    let date = CivilDate(daysSinceEpoch: days)?.description ?? "1970-01-01"
    func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    let milli = Int(ms % 1000)
    let m = milli < 10 ? "00\(milli)" : milli < 100 ? "0\(milli)" : "\(milli)"
    return "\(date)T\(two(second / 3600)):\(two(second / 60 % 60)):\(two(second % 60)).\(m)Z"
  }

  /// An RFC 3339 timestamp (with its offset) as milliseconds since 1970; nil when it is not one.
  public static func parse(_ text: String) -> UInt64? {
    guard case .success(let t) = DateTime.parse(text), t.seconds >= 0 else { return nil }
    return UInt64(t.seconds) * 1000 + UInt64(t.nanoseconds / 1_000_000)
  }
}
