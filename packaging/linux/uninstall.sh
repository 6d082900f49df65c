#!/bin/sh
# Remove the app installed by install.sh. Workspaces and settings are left in place:
#   data      ~/.local/share/EmpathyAudit   (or $EMPATHY_AUDIT_HOME)
#   settings  ~/.config/EmpathyAudit
#   cache     ~/.cache/EmpathyAudit          (safe to delete by hand)
set -eu
data="${XDG_DATA_HOME:-$HOME/.local/share}"
rm -rf "$HOME/.local/opt/empathy-audit"
rm -f "$HOME/.local/bin/EmpathyAudit" "$data/applications/empathy-audit.desktop" \
    "$data/icons/hicolor/256x256/apps/empathy-audit.png"
echo "Empathy Audit removed. Your workspaces are still in $data/EmpathyAudit."
