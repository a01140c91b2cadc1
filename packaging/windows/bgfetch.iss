; Inno Setup script for bgfetch on Windows. Written and reviewed, NOT built or run here (no
; Windows machine): see packaging/README.md.
;
; Build on Windows, from the repository root:
;   py -3.11 -m venv .venv && .venv\Scripts\pip install -e . pyinstaller
;   .venv\Scripts\pyinstaller --noconfirm --distpath dist --workpath build packaging\bgfetch.spec
;   iscc packaging\windows\bgfetch.iss      (Inno Setup 6)
;
; Installs dist\bgfetch\ for the current user (no admin rights; an admin may choose all users)
; and registers: the .bgfetch file type, the bgfetch: link scheme, and the browser bridge's
; native-messaging host org.bgfetch.native_host for Chrome, Chromium, Edge and Firefox
; (docs/browser-bridge.md).

#define AppVersion GetEnv("BGFETCH_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6C7E1D0A-5B1F-4E3B-9C55-2B0F6A1C9E47}
AppName=bgfetch
AppVersion={#AppVersion}
AppPublisher=The bgfetch authors
DefaultDirName={autopf}\bgfetch
DefaultGroupName=bgfetch
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
OutputDir=..\..\dist
OutputBaseFilename=bgfetch-{#AppVersion}-windows-setup
SetupIconFile=bgfetch.ico
UninstallDisplayIcon={app}\bgfetch-gui.exe
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
ArchitecturesInstallIn64BitMode=x64compatible

[Files]
Source: "..\..\dist\bgfetch\*"; DestDir: "{app}"; Flags: recursesubdirs ignoreversion
; Host manifests name the host by a path relative to the manifest (allowed on Windows).
Source: "native-host-chromium.json"; DestDir: "{app}"; DestName: "org.bgfetch.native_host.chromium.json"
Source: "native-host-firefox.json"; DestDir: "{app}"; DestName: "org.bgfetch.native_host.firefox.json"

[Icons]
Name: "{autoprograms}\bgfetch"; Filename: "{app}\bgfetch-gui.exe"
Name: "{autodesktop}\bgfetch"; Filename: "{app}\bgfetch-gui.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; Flags: unchecked

[Registry]
; HKA: HKCU for a per-user install, HKLM for all users.
; The .bgfetch file type.
Root: HKA; Subkey: "Software\Classes\.bgfetch"; ValueType: string; ValueName: ""; ValueData: "bgfetch.manifest"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.bgfetch"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-bgfetch"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\bgfetch.manifest"; ValueType: string; ValueName: ""; ValueData: "Background fetch manifest"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\bgfetch.manifest\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\bgfetch-gui.exe,0"
Root: HKA; Subkey: "Software\Classes\bgfetch.manifest\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\bgfetch-gui.exe"" ""%1"""
; The bgfetch: link scheme.
Root: HKA; Subkey: "Software\Classes\bgfetch"; ValueType: string; ValueName: ""; ValueData: "URL:bgfetch link"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\bgfetch"; ValueType: string; ValueName: "URL Protocol"; ValueData: ""
Root: HKA; Subkey: "Software\Classes\bgfetch\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\bgfetch-gui.exe,0"
Root: HKA; Subkey: "Software\Classes\bgfetch\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\bgfetch-gui.exe"" ""%1"""
; The native-messaging host, one key per browser family.
Root: HKA; Subkey: "Software\Google\Chrome\NativeMessagingHosts\org.bgfetch.native_host"; ValueType: string; ValueName: ""; ValueData: "{app}\org.bgfetch.native_host.chromium.json"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Chromium\NativeMessagingHosts\org.bgfetch.native_host"; ValueType: string; ValueName: ""; ValueData: "{app}\org.bgfetch.native_host.chromium.json"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Microsoft\Edge\NativeMessagingHosts\org.bgfetch.native_host"; ValueType: string; ValueName: ""; ValueData: "{app}\org.bgfetch.native_host.chromium.json"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Mozilla\NativeMessagingHosts\org.bgfetch.native_host"; ValueType: string; ValueName: ""; ValueData: "{app}\org.bgfetch.native_host.firefox.json"; Flags: uninsdeletekey

[Run]
Filename: "{app}\bgfetch-gui.exe"; Description: "{cm:LaunchProgram,bgfetch}"; Flags: nowait postinstall skipifsilent

[UninstallRun]
; Let a running bgfetch checkpoint its downloads before its files go.
Filename: "{app}\bgfetch.exe"; Parameters: "quit"; Flags: runhidden; RunOnceId: "QuitBgfetch"
