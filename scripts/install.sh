#!/usr/bin/env bash
# Builds precept (release) and installs it under PREFIX (default /usr/local), with its shell
# completions (bash, zsh, fish, from ArgumentParser) and its man page (ArgumentParser's
# GenerateManual plugin, which comes with the package and needs no network).
#
# Usage: scripts/install.sh [PREFIX]      or   PREFIX=… DESTDIR=… scripts/install.sh
#   DESTDIR is prepended to every path (for packaging); the installed files are listed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=${1:-${PREFIX:-/usr/local}}
dest=${DESTDIR:-}
root=$dest$prefix

echo "install.sh: building precept (release)"
swift build -c release --product precept
bin=$(swift build -c release --show-bin-path)/precept

# The man page: the plugin builds the package in release (done above, so nothing is rebuilt) and
# runs generate-manual on the command.
echo "install.sh: generating the man page"
swift package plugin generate-manual >/dev/null
manual=$(find .build/plugins -path '*GenerateManual*' -name precept.1 -newer "$bin" -print -quit 2>/dev/null || true)
[[ -n $manual ]] || manual=$(find .build/plugins -path '*GenerateManual*' -name precept.1 -print -quit)
[[ -n $manual ]] || { echo "install.sh: the GenerateManual plugin wrote no precept.1" >&2; exit 2; }

install -d "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
  "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d"
install -m 755 "$bin" "$root/bin/precept"
install -m 644 "$manual" "$root/share/man/man1/precept.1"
"$bin" --generate-completion-script bash >"$root/share/bash-completion/completions/precept"
"$bin" --generate-completion-script zsh >"$root/share/zsh/site-functions/_precept"
"$bin" --generate-completion-script fish >"$root/share/fish/vendor_completions.d/precept.fish"

echo "install.sh: installed $("$root/bin/precept" --version)"
for f in bin/precept share/man/man1/precept.1 share/bash-completion/completions/precept \
  share/zsh/site-functions/_precept share/fish/vendor_completions.d/precept.fish; do
  echo "  $root/$f"
done
