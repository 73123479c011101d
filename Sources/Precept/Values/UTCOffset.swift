/// A fixed UTC offset, the time zone of a rulebook's calendar days (`per_day`).
public enum UTCOffset {
  /// `UTC`, `Z`, `+08:00`, `-05:30` → seconds east of UTC.
  public static func parse(_ text: String) -> Int32? {
    if text == "UTC" || text == "Z" { return 0 }
    let s = Array(text.unicodeScalars)
    guard s.count == 6, s[0] == "+" || s[0] == "-", s[3] == ":",
      let h = Int(String(text.dropFirst().prefix(2))), let m = Int(String(text.suffix(2))),
      s[1].isASCIIDigit, s[2].isASCIIDigit, s[4].isASCIIDigit, s[5].isASCIIDigit, h <= 18, m < 60
    else { return nil }
    let seconds = Int32(h * 3600 + m * 60)
    return s[0] == "-" ? -seconds : seconds
  }
}

extension Result {
  /// The success value, or nil.
  public var ok: Success? {
    if case .success(let v) = self { return v }
    return nil
  }
}
