/// The functions rules may call. Each has a fixed signature checked before anything runs.
public enum Builtin: String, Sendable, CaseIterable {
  case count, distinct, sum, min, max, avg, abs, round
  case age, daysBetween = "days_between"
  case window, perDay = "per_day"
  case apr, irr, effectiveRate = "effective_rate", pmt
  case similarity, bestMatch = "best_match"
  case near
  case lower, upper, length

  /// How the function is written, for help text.
  var usage: String {
    switch self {
    case .count: "count(list)"
    case .distinct: "distinct(list)  — its items without repeats, in first-seen order: count(distinct(tx.counterparty))"
    case .sum: "sum(list of numbers or money)"
    case .min: "min(list) or min(a, b, …)"
    case .max: "max(list) or max(a, b, …)"
    case .avg: "avg(list of numbers or money)"
    case .abs: "abs(number or money)"
    case .round: "round(number, money or percent, places)  — a percent rounds its figure: round(18.456%, 2) = 18.46%"
    case .age: "age(birth_date)"
    case .daysBetween: "days_between(from_date, to_date)"
    case .window: "window(items, 24h, by: .at)"
    case .perDay: "per_day(items, by: .at)"
    case .apr: "apr(schedule)  — Regulation Z Appendix J actuarial APR; schedule: list of { date, amount }"
    case .irr: "irr(schedule)  — effective annual rate, as effective_rate"
    case .effectiveRate: "effective_rate(schedule)  — effective annual rate (XIRR, actual/365)"
    case .pmt: "pmt(rate_per_period, periods, principal)"
    case .similarity: "similarity(name_a, name_b)"
    case .bestMatch: "best_match(name, names)"
    case .near: "near(text, word_a, word_b, within: characters)  — either word may be a list of words"
    case .lower: "lower(text)"
    case .upper: "upper(text)"
    case .length: "length(text)"
    }
  }

  /// Names authors reach for from spreadsheets and other languages, with what they mean here.
  static let synonyms: [String: (builtin: Builtin, what: String)] = [
    "total": (.sum, "add up a list"), "add": (.sum, "add up a list"),
    "average": (.avg, "average a list"), "mean": (.avg, "average a list"),
    "len": (.length, "measure text"), "size": (.count, "count a list"), "countif": (.count, "count matching items"),
    "unique": (.distinct, "drop repeated items"), "dedupe": (.distinct, "drop repeated items"),
    "minimum": (.min, "take the smallest"), "maximum": (.max, "take the largest"),
    "datediff": (.daysBetween, "count days between dates"), "days": (.daysBetween, "count days between dates"),
  ]

  /// Labels each argument may carry, by position; nil where no label is allowed.
  var labels: [String?] {
    switch self {
    case .window: [nil, nil, "by"]
    case .perDay: [nil, "by"]
    case .near: [nil, nil, nil, "within"]
    case .round: [nil, nil]
    default: []
    }
  }
}
