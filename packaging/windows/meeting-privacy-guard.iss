; Inno Setup 6 script: the Windows installer of Meeting Privacy Guard.
;
; Build the bundle first, from the repository root:
;     python -m PyInstaller --noconfirm packaging\meeting-guard.spec
; then:
;     iscc packaging\windows\meeting-privacy-guard.iss
; Output: dist\installer\meeting-privacy-guard-<version>-windows-x64-setup.exe
;
; Installs per user by default (no administrator rights; the setup offers an all-users install),
; adds a Start menu entry, offers to start the app at log-in (HKCU Run key), and uninstalls
; cleanly. On uninstall it ASKS before deleting the user's settings, consent ledger and logs
; (%LOCALAPPDATA%\meeting-privacy-guard); the answer defaults to No, and a silent uninstall keeps them.

#ifndef AppVersion
  ; Must equal guard.__version__ (tests/packaging checks); override with iscc /DAppVersion=x.y.z
  #define AppVersion "0.1.0"
#endif
#define AppName "Meeting Privacy Guard"
#define AppPublisher "Meeting Privacy Guard developers"
#define AppExe "meeting-privacy-guard.exe"
#define CliExe "meeting-guard.exe"
#define DataDirName "meeting-privacy-guard"
#define RdnsId "io.github.meetingprivacyguard.MeetingPrivacyGuard"
#define BundleDir "..\..\dist\meeting-guard"
#define IconFile "..\..\build\meeting-guard\icons\" + RdnsId + ".ico"

[Setup]
AppId={{F534C01B-90A9-424E-8325-A9663E66951C}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppPublisher}
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename={#DataDirName}-{#AppVersion}-windows-x64-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; Close a running copy (it holds files in {app}) before installing over it or uninstalling.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "autostart"; Description: "Start {#AppName} when I log in"; GroupDescription: "Start-up:"; Flags: unchecked

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Which meeting AI features and terms apply to you"
Name: "{group}\Uninstall {#AppName}"; Filename: "{uninstallexe}"

[Registry]
; The app's own "start at log-in" setting must use this same value name, so either can turn it off.
Root: HKCU; Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"; ValueType: string; ValueName: "{#AppName}"; ValueData: """{app}\{#AppExe}"""; Flags: uninsdeletevalue; Tasks: autostart

[Run]
Filename: "{app}\{#AppExe}"; Description: "Start {#AppName} now"; Flags: nowait postinstall skipifsilent

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  DataDir: String;
begin
  if CurUninstallStep <> usPostUninstall then
    Exit;
  // The app itself is gone now. Remove the value even if autostart was set from the app.
  RegDeleteValue(HKEY_CURRENT_USER, 'Software\Microsoft\Windows\CurrentVersion\Run', '{#AppName}');
  DataDir := ExpandConstant('{localappdata}\{#DataDirName}');
  if UninstallSilent or not DirExists(DataDir) then
    Exit;
  if MsgBox('Also delete your Meeting Privacy Guard settings, consent ledger and logs?' + #13#10 + #13#10 +
            DataDir + #13#10 + #13#10 +
            'Choose No to keep them (for example to reinstall later). A data folder you chose ' +
            'yourself in the settings is never deleted.',
            mbConfirmation, MB_YESNO or MB_DEFBUTTON2) = IDYES then
    DelTree(DataDir, True, True, True);
end;
