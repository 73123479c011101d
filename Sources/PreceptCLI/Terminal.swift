import Foundation

/// Where the CLI writes, and whether it may use colour. Every byte the CLI prints goes through here.
///
/// Writes use write(2) directly: Foundation's `FileHandle.write` traps on a full disk or a
/// closed descriptor, and stdio would hide failures in its buffer. Output that cannot be written
/// is a failure, not a success: the command says so on standard error (if it can) and exits 2.
enum Terminal {
  /// Prepares the process for writing; called once, before anything else runs.
  ///
  /// With SIGPIPE ignored, a reader that went away (`precept … | head`) shows up as EPIPE from
  /// write(2), which is reported, instead of a silent death by signal. A standard descriptor the
  /// caller closed is held by /dev/null opened the wrong way round, so no file the command opens
  /// later can take its number and receive output meant for the terminal; reads and writes on it
  /// still fail with EBADF, as on a closed descriptor.
  static func start() {
    _ = signal(SIGPIPE, SIG_IGN)
    for fd: Int32 in [0, 1, 2] where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
      let held = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY)
      if held >= 0, held != fd {
        _ = dup2(held, fd)
        _ = close(held)
      }
    }
  }

  /// Writes `text` to standard output.
  static func write(_ text: String) {
    var text = text
    text.withUTF8 { write(bytes: UnsafeRawBufferPointer($0)) }
  }

  /// Writes raw bytes to standard output.
  static func write(bytes: UnsafeRawBufferPointer) {
    let code = writeFully(1, bytes)
    if code != 0 { failed(code) }
  }

  /// Writes `message` to standard error, ending it with a newline.
  static func error(_ message: String) {
    var text = message
    if !text.hasSuffix("\n") { text += "\n" }
    let code = text.withUTF8 { writeFully(2, UnsafeRawBufferPointer($0)) }
    // Nowhere is left to report a failure to write to standard error.
    if code != 0 { exit(2) }
  }

  /// Writes `text` to standard error as it is (a progress line redrawn in place); a failure is
  /// ignored, as the line is only a courtesy.
  static func status(_ text: String) {
    var text = text
    _ = text.withUTF8 { writeFully(2, UnsafeRawBufferPointer($0)) }
  }

  /// Colour only on a terminal, and never when NO_COLOR is set.
  static var color: Bool { isatty(1) == 1 && getenv("NO_COLOR") == nil }
  static var errorColor: Bool { isatty(2) == 1 && getenv("NO_COLOR") == nil }

  /// Reports that standard output could not be written (on standard error, if that still works) and exits 2.
  private static func failed(_ code: Int32) -> Never {
    var line = "precept: cannot write output: " + String(cString: strerror(code)) + "\n"
    _ = line.withUTF8 { writeFully(2, UnsafeRawBufferPointer($0)) }
    exit(2)
  }
}

/// Writes all of `bytes` to `fd`, retrying interrupted and short writes; 0, or the errno that stopped it.
private func writeFully(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Int32 {
  guard let base = bytes.baseAddress else { return 0 }
  var done = 0
  while done < bytes.count {
    let n = write(fd, base + done, bytes.count - done)
    if n > 0 {
      done += n
      continue
    }
    if n == 0 { return EIO }  // no progress and no error: give up rather than spin
    let code = errno
    switch code {
    case EINTR:
      continue
    case EAGAIN, EWOULDBLOCK:
      // A descriptor inherited in non-blocking mode: wait until it can take more.
      var ready = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
      if poll(&ready, 1, -1) < 0, errno != EINTR { return errno }
    default:
      return code
    }
  }
  return 0
}
