"""The KWin script that reports window captions and pids (guard/detect/windows/kwin_script.py)."""
