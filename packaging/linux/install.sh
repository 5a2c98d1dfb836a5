#!/bin/sh
# Install this unpacked folder for the current user: ~/.local/opt/specialist-app, a menu entry and the icon.
# Run from the unpacked archive: ./install.sh   (remove with: ./install.sh --uninstall)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
target="$HOME/.local/opt/specialist-app"
if [ "${1:-}" = "--uninstall" ]; then
    rm -rf "$target" "$prefix/applications/specialist-app.desktop" "$prefix/icons/hicolor/scalable/apps/specialist-app.svg"
    echo "specialist-app removed (your data in ${XDG_DATA_HOME:-$HOME/.local/share}/specialist-app is kept)"
    exit 0
fi
rm -rf "$target"
mkdir -p "$target" "$prefix/applications" "$prefix/icons/hicolor/scalable/apps"
cp -R "$here/." "$target/"
cp "$here/specialist-app.svg" "$prefix/icons/hicolor/scalable/apps/specialist-app.svg"
sed -e "s|^Exec=specialist-app|Exec=\"$target/specialist-app\"|" -e "s|^TryExec=specialist-app|TryExec=$target/specialist-app|" \
    "$here/specialist-app.desktop" > "$prefix/applications/specialist-app.desktop"
echo "specialist-app installed in $target; it is in the applications menu as 技术专员工作台 / Specialist Workbench"
