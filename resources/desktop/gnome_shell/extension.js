// Meeting Privacy Guard: window titles for the Guard on GNOME Shell (Wayland), experimental.
//
// GNOME Shell gives apps no way to read other apps' window titles (org.gnome.Shell.Eval and
// org.gnome.Shell.Introspect are closed to them since GNOME 41). This extension exports two
// read-only methods on the Shell's own session-bus connection (see windowTitles.js), answered
// only to Meeting Privacy Guard's reader name. It changes nothing in the Shell, connects no
// signals, and keeps nothing.
import Meta from 'gi://Meta';
import Gio from 'gi://Gio';
import {Extension} from 'resource:///org/gnome/shell/extensions/extension.js';

import {WindowTitles} from './windowTitles.js';

const LISTED_TYPES = [Meta.WindowType.NORMAL, Meta.WindowType.DIALOG, Meta.WindowType.MODAL_DIALOG];

function shellWindows() {
    return global.get_window_actors()
        .map(actor => actor.get_meta_window())
        .filter(window => window && LISTED_TYPES.includes(window.get_window_type()))
        .map(window => ({id: window.get_id(), pid: window.get_pid(), title: window.get_title()}));
}

export default class MeetingGuardWindowsExtension extends Extension {
    enable() {
        this._service = new WindowTitles(shellWindows, () => global.display.focus_window?.get_id() ?? 0);
        this._service.export(Gio.DBus.session);
    }

    disable() {
        this._service?.unexport();
        this._service = null;
    }
}
