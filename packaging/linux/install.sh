#!/bin/sh
# Install this Empathy Audit folder for the current user: the app in ~/.local/opt/empathy-audit,
# a menu entry and an icon, and `EmpathyAudit` on the PATH via ~/.local/bin.
# Your data stays where it is (~/.local/share/EmpathyAudit); uninstall.sh never touches it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="$HOME/.local/opt/empathy-audit"
mkdir -p "$target" "$HOME/.local/bin" "${XDG_DATA_HOME:-$HOME/.local/share}/applications" \
    "${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps"
cp -a "$here/." "$target/"
ln -sf "$target/EmpathyAudit" "$HOME/.local/bin/EmpathyAudit"
sed "s|^Exec=EmpathyAudit|Exec=$target/EmpathyAudit|" "$here/empathy-audit.desktop" \
    > "${XDG_DATA_HOME:-$HOME/.local/share}/applications/empathy-audit.desktop"
cp "$here/empathy-audit.png" "${XDG_DATA_HOME:-$HOME/.local/share}/icons/hicolor/256x256/apps/empathy-audit.png"
echo "Installed in $target. Start it from the menu, or run: EmpathyAudit (add ~/.local/bin to PATH)."
