// The folds that need a word's neighbours, run over the folded text once the character folds are done (steps 7
// and 8 of NormalizedText):
//
//  7. Phrase-dependent Simplified forms. A few Traditional characters have two Simplified forms, chosen by the
//     phrase, and OpenCC's character table keeps the rarer reading: 著 stays 著 (显著, 著名), 帳 becomes 帐
//     (蚊帐). In the phrases copy uses they are 着 and 账: 躺著也能賺 is 躺着也能赚, 秒到帳 is 秒到账. The rule
//     looks at the neighbouring (already folded) character: 著 → 着 after a verb of the 躺着/看着/随着 kind
//     or before 急 想 落 陆 迷 凉 火 力 眼 重 实 装 色 手 魔 呢; 帐 → 账 (whether the copy wrote 帳 or 帐) after
//     到 转 记 入 对 查 算 结 赖 欠 还 销 挂 假 流 报 出 收 平 烂 付 理 做 分 总 明 细 旧 新 混 讨 催 翻 赊 认 or
//     before 户 号 单 目 本 簿 面 期 款 务 册 房; 瞭 → 了 before 解. Anything else keeps the character form
//     (显著, 著作, 蚊帐, 帐篷, 瞭望).
//  8. English inflections. Each word of four or more ASCII letters is cut to a light stem, the same way in
//     copy and terms, so `guaranteed return` matches `guaranteed returns`, `capital guaranteed` matches
//     `capital guarantees`, `no risk` matches `no risks`: -ies → -y; else -ing, -ed, -es (after s x z h) or
//     -s (not after s, u, i) is cut; then final e's while the stem keeps four letters (guarantee, guaranteed,
//     guarantees, guaranteeing → guarant). A cut that would leave fewer than four letters is not made
//     (`noted` stays, never becoming `not`). The stem keeps the whole original word as its span. Irregular
//     forms (protection/protected) are different words.

extension Wording.Fold {
  /// Step 7 (see the top of this file), in place: the text keeps its length.
  static func foldPhrases(_ folded: inout [Unicode.Scalar]) {
    guard folded.count > 1 else { return }
    for i in folded.indices {
      let scalar = folded[i]
      guard scalar == "著" || scalar == "帐" || scalar == "瞭" else { continue }
      let before = i > 0 ? folded[i - 1] : " ", after = i + 1 < folded.count ? folded[i + 1] : " "
      switch scalar {
      case "著" where aspectBefore.contains(before) || aspectAfter.contains(after): folded[i] = "着"
      case "帐" where accountBefore.contains(before) || accountAfter.contains(after): folded[i] = "账"
      case "瞭" where after == "解": folded[i] = "了"
      default: break
      }
    }
  }

  private static let aspectBefore: Set<Unicode.Scalar> = scalars(
    "躺睡看等跟随接味靠活带拿穿向朝沿照试听说笑坐站守忙藏抱盯望写唱吃喝玩躲挂闭睁摸踩捧顶压冲赚数用想比领陪伴护走跑飞留存省花攒让管扛撑急顺对冒借背绕围挣熬拖揣攥捏握牵搂忍哭喊叫盼爱载装")
  private static let aspectAfter: Set<Unicode.Scalar> = scalars("急想落陆迷凉火力眼重实装色手魔呢")
  private static let accountBefore: Set<Unicode.Scalar> = scalars("到转记入对查算结赖欠还销挂假流报出收平烂付理做分总明细旧新混讨催翻赊认")
  private static let accountAfter: Set<Unicode.Scalar> = scalars("户号单目本簿面期款务册房")

  private static func scalars(_ s: String) -> Set<Unicode.Scalar> { Set(s.unicodeScalars) }

  /// Step 8 (see the top of this file): cuts each English word to its stem, in place, keeping the arrays in
  /// step (`starts`/`ends` map folded scalars to the original, `breaks` has one slot more than `folded`).
  static func stemEnglish(_ folded: inout [Unicode.Scalar], _ starts: inout [Int], _ ends: inout [Int], _ breaks: inout [Bool]) {
    let count = folded.count
    var write = 0, read = 0
    var previousIsWord = false
    while read < count {
      guard !previousIsWord, isWord(folded[read]) else {
        previousIsWord = isWord(folded[read])
        move(read, to: write, &folded, &starts, &ends, &breaks)
        write += 1
        read += 1
        continue
      }
      // A word starts here: the run of word scalars, stemmed when it is all lower-case ASCII letters.
      var end = read, letters = true
      while end < count, isWord(folded[end]) {
        if !(0x61...0x7A).contains(folded[end].value) { letters = false }
        end += 1
      }
      let (kept, lastY) = letters ? stem(folded, read, end) : (end - read, false)
      for k in read..<(read + kept) {
        move(k, to: write, &folded, &starts, &ends, &breaks)
        write += 1
      }
      if kept < end - read {
        ends[write - 1] = ends[end - 1]
        if lastY { folded[write - 1] = "y" }
      }
      previousIsWord = true
      read = end
    }
    guard write < count else { return }
    breaks[write] = breaks[count]
    folded.removeLast(count - write)
    starts.removeLast(count - write)
    ends.removeLast(count - write)
    breaks.removeLast(count - write)
  }

  private static func move(
    _ from: Int, to: Int, _ folded: inout [Unicode.Scalar], _ starts: inout [Int], _ ends: inout [Int], _ breaks: inout [Bool]
  ) {
    guard from != to else { return }
    folded[to] = folded[from]
    starts[to] = starts[from]
    ends[to] = ends[from]
    breaks[to] = breaks[from]
  }

  /// How many letters of the word `folded[start..<end]` its stem keeps, and whether the last kept one
  /// becomes `y` (-ies → -y).
  static func stem(_ folded: [Unicode.Scalar], _ start: Int, _ end: Int) -> (kept: Int, lastY: Bool) {
    let length = end - start
    guard length >= 4 else { return (length, false) }
    // The last three letters (a word has at least four).
    let c1 = folded[end - 1], c2 = folded[end - 2], c3 = folded[end - 3]
    let minimum = 4
    var kept = length
    var lastY = false
    if c3 == "i", c2 == "e", c1 == "s", length - 2 >= minimum {
      kept = length - 2
      lastY = true
    } else if c3 == "i", c2 == "n", c1 == "g", length - 3 >= minimum {
      kept = length - 3
    } else if c2 == "e", c1 == "d", length - 2 >= minimum {
      kept = length - 2
    } else if c2 == "e", c1 == "s", length - 2 >= minimum, c3 == "s" || c3 == "x" || c3 == "z" || c3 == "h" {
      kept = length - 2
    } else if c1 == "s", length - 1 >= minimum, c2 != "s", c2 != "u", c2 != "i" {
      kept = length - 1
    }
    // Final e's of a long enough stem (never the y just made).
    while !lastY, kept >= minimum + 1, folded[start + kept - 1] == "e" { kept -= 1 }
    return (kept, lastY)
  }
}
