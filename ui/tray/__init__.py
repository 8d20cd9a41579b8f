"""The tray icon: one icon per state, a tooltip in words, and the menu."""
