; Inno Setup 6 script (UTF-8 with BOM: Inno Setup reads non-ASCII text only then): a per-user setup .exe for the PyInstaller folder built by build_installer.py.
; build_installer.py runs it when ISCC is on PATH; by hand (values from the build):
;   iscc /DAppVersion=0.1.0 /DSourceDir=dist\specialist-app /DIconFile=build\pyinstaller\icon\specialist-app.ico ^
;        /DOutputDir=dist packaging\windows\specialist-app.iss
; Per-user install (no administrator rights): specialists install on their own laptops.

#ifndef AppVersion
  #error Pass /DAppVersion=<version from pyproject.toml>
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\specialist-app"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
; The AppId keeps upgrades in place; never change it.
AppId={{6F0C2B7E-4D1A-4C55-9B7A-2E51A9C3D8F4}
AppName=技术专员工作台 Specialist Workbench
AppVersion={#AppVersion}
AppVerName=技术专员工作台 {#AppVersion}
AppPublisher=Provincial Technology Market
DefaultDirName={localappdata}\Programs\specialist-app
DefaultGroupName=技术专员工作台
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=specialist-app-{#AppVersion}-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\specialist-app.exe
#ifdef IconFile
SetupIconFile={#IconFile}
#endif
; The user's data (%LOCALAPPDATA%\specialist-app) is not under {app}: uninstalling never deletes it.

[Languages]
; ChineseSimplified.isl is one of Inno Setup's unofficial translations: the CI workflow copies it into
; the compiler's Languages folder; without it the setup is English only.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#endif
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole program folder so no file of the old version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\技术专员工作台"; Filename: "{app}\specialist-app.exe"
Name: "{group}\{cm:UninstallProgram,技术专员工作台}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\技术专员工作台"; Filename: "{app}\specialist-app.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\specialist-app.exe"; Description: "{cm:LaunchProgram,技术专员工作台}"; Flags: nowait postinstall skipifsilent
