#!/bin/sh
# `make install`: copies the built binary to $DESTDIR$PREFIX/bin and the shell completion scripts it
# generates to where bash, zsh and fish look for them under $PREFIX/share.
# Usage: scripts/install.sh BINARY PREFIX   (DESTDIR, when set, is prepended, as packagers expect)
set -eu
bin=$1
prefix=$2
root="${DESTDIR:-}$prefix"
[ -x "$bin" ] || { echo "error: $bin: no such program; run \`make build\` first" >&2; exit 1; }

install -d "$root/bin" "$root/share/bash-completion/completions" "$root/share/zsh/site-functions" \
    "$root/share/fish/vendor_completions.d"
install -m 755 "$bin" "$root/bin/mnist-cli"
"$bin" --generate-completion-script bash > "$root/share/bash-completion/completions/mnist-cli"
"$bin" --generate-completion-script zsh > "$root/share/zsh/site-functions/_mnist-cli"
"$bin" --generate-completion-script fish > "$root/share/fish/vendor_completions.d/mnist-cli.fish"
echo "installed $root/bin/mnist-cli and its bash, zsh and fish completions"
case ":$PATH:" in
    *":$prefix/bin:"*) ;;
    *) [ -z "${DESTDIR:-}" ] && echo "note: $prefix/bin is not on PATH; add it, or call $prefix/bin/mnist-cli" ;;
esac
exit 0
