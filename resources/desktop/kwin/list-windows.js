// Meeting Privacy Guard: report each window's caption and owning pid to the app that loaded
// this script (guard/detect/windows/kwin_script.py), over D-Bus, once, then end.
//
// The app prepends one line defining REPLY = {service, path, iface, method}: its own unique
// bus name and the object that receives the list, with whether the window has the focus.
// Nothing else leaves KWin: no geometry, no content, no input. Works with KWin 5 (workspace.clientList) and KWin 6 (workspace.windowList).
(function () {
    var MAX_WINDOWS = 500;
    var HALF_CAPTION = 2048;
    var windows = typeof workspace.windowList === "function" ? workspace.windowList() : workspace.clientList();
    var out = [];
    for (var i = 0; i < windows.length && out.length < MAX_WINDOWS; i++) {
        var w = windows[i];
        if (!w || !(w.normalWindow || w.dialog)) {
            continue;  // panels, the desktop, notifications, menus
        }
        var caption = String(w.caption || "");
        if (caption.length === 0) {
            continue;
        }
        if (caption.length > 2 * HALF_CAPTION) {
            caption = caption.slice(0, HALF_CAPTION) + " … " + caption.slice(-HALF_CAPTION);
        }
        out.push({
            title: caption,
            pid: Number(w.pid) || 0,
            id: String(w.internalId || ""),
            app: String(w.resourceClass || "").slice(0, 200),
            active: w.active === true
        });
    }
    callDBus(REPLY.service, REPLY.path, REPLY.iface, REPLY.method, JSON.stringify(out));
})();
