# `make install PREFIX=~/.local` builds precept (release) and installs it with its shell
# completions and man page (scripts/install.sh says what goes where).
PREFIX ?= /usr/local
DESTDIR ?=

.PHONY: build install test uninstall

build:
	swift build -c release --static-swift-stdlib --product precept

install:
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" scripts/install.sh

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/precept" "$(DESTDIR)$(PREFIX)/share/man/man1/precept.1" \
	  "$(DESTDIR)$(PREFIX)/share/bash-completion/completions/precept" \
	  "$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_precept" \
	  "$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/precept.fish"

test:
	swift build
	swift test
