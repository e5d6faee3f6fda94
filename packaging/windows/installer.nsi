; The Windows installer of Vital Few: a per-user install (no administrator),
; in English or 简体中文 by the system's language. Built by
; `make bundle-windows` with makensis (Tauri's own NSIS bundler downloads
; a plug-in from GitHub at build time; this script needs nothing but NSIS).
;
; Defines given by the Makefile (absolute paths):
;   VERSION       the version in tauri.conf.json (e.g. 0.1.0)
;   APP_DIR       the folder holding vitalfew.exe, vitalfew-console.exe and
;                 WebView2Loader.dll
;   ICON          icons/icon.ico
;   OUT_FILE      where the installer is written
;   WEBVIEW2_SETUP (optional) Microsoft's WebView2 bootstrapper, run when
;                 the runtime is missing; without it the installer offers
;                 Microsoft's download page instead.
;
; What it does:
; - installs vitalfew.exe (the window app), vitalfew.com (the same commands
;   for cmd and PowerShell, which wait for it) and WebView2Loader.dll into
;   %LOCALAPPDATA%\Programs\Vital Few (installing over an older version
;   replaces the program; the owner's data, in %APPDATA%\vitalfew, is never
;   touched);
; - Start-menu and desktop shortcuts named "Vital Few 关键少数";
; - "Open with" for CSV, XLSX, XLS and ODS files (as the Linux desktop
;   entry has them), per user;
; - an entry in Apps & features, and an uninstaller that removes the
;   program and keeps the data folder, and says so.

Unicode true
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user
Target amd64-unicode

!include "MUI2.nsh"
!include "LogicLib.nsh"
!include "FileFunc.nsh"
!include "x64.nsh"

!define PRODUCT "Vital Few"
!define SHORTCUT "Vital Few 关键少数"
!define EXE "vitalfew.exe"
!define PROGID "VitalFew.Table"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\VitalFew"
!define WEBVIEW2_GUID "{F3017226-FE2A-4295-8BDF-00C3A9A7E4C5}"
!define WEBVIEW2_PAGE "https://go.microsoft.com/fwlink/p/?LinkId=2124703"

Name "${PRODUCT}"
OutFile "${OUT_FILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
InstallDirRegKey HKCU "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "${PRODUCT} installer"
VIAddVersionKey /LANG=0 "CompanyName" "${PRODUCT}"
VIAddVersionKey /LANG=0 "LegalCopyright" "© 2026 ${PRODUCT}"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${EXE}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "$(KeepData)"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The first language is the default; a system in Chinese gets Chinese.
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "SimpChinese"

LangString KeepData ${LANG_ENGLISH} "Vital Few will be removed from this computer. Your data (customers, sales, key accounts, notebooks and backups) stays in $APPDATA\vitalfew: installing Vital Few again finds it there."
LangString KeepData ${LANG_SIMPCHINESE} "将从此电脑中删除 Vital Few。您的数据（客户、销售、大客户、客户档案和备份）保留在 $APPDATA\vitalfew 中：再次安装 Vital Few 后即可继续使用。"
LangString NeedWebView2 ${LANG_ENGLISH} "Vital Few shows its window with Microsoft Edge WebView2, which this computer does not have yet. Open Microsoft's download page now? (Install the Evergreen Runtime, then start Vital Few.)"
LangString NeedWebView2 ${LANG_SIMPCHINESE} "Vital Few 的窗口需要 Microsoft Edge WebView2，此电脑尚未安装。现在打开微软的下载页面吗？（请安装 Evergreen Runtime，然后启动 Vital Few。）"
LangString InstallingWebView2 ${LANG_ENGLISH} "Installing Microsoft Edge WebView2…"
LangString InstallingWebView2 ${LANG_SIMPCHINESE} "正在安装 Microsoft Edge WebView2…"
LangString StillRunning ${LANG_ENGLISH} "Vital Few is running. Close it, then choose Retry."
LangString StillRunning ${LANG_SIMPCHINESE} "Vital Few 正在运行。请先关闭它，然后选择“重试”。"
LangString OpenWith ${LANG_ENGLISH} "Customers or sales table"
LangString OpenWith ${LANG_SIMPCHINESE} "客户或销售表格"

; "Open with" for one extension: the ProgID it lists, a type the app reads.
!macro Associate EXT
  WriteRegStr HKCU "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}" ""
  WriteRegStr HKCU "Software\Classes\Applications\${EXE}\SupportedTypes" "${EXT}" ""
!macroend

!macro Unassociate EXT
  DeleteRegValue HKCU "Software\Classes\${EXT}\OpenWithProgids" "${PROGID}"
!macroend

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "Vital Few needs 64-bit Windows 10 or 11."
    Abort
  ${EndIf}
FunctionEnd

; Whether the WebView2 runtime is installed: machine-wide (32-bit view of
; the registry on 64-bit Windows) or for this user; "0.0.0.0" is a removed one.
Function HasWebView2
  ReadRegStr $0 HKLM "SOFTWARE\WOW6432Node\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${If} $0 == ""
  ${OrIf} $0 == "0.0.0.0"
    ReadRegStr $0 HKCU "Software\Microsoft\EdgeUpdate\Clients\${WEBVIEW2_GUID}" "pv"
  ${EndIf}
  ${If} $0 == "0.0.0.0"
    StrCpy $0 ""
  ${EndIf}
FunctionEnd

Function WebView2
  Call HasWebView2
  ${If} $0 != ""
    Return
  ${EndIf}
!ifdef WEBVIEW2_SETUP
  DetailPrint "$(InstallingWebView2)"
  SetOutPath "$PLUGINSDIR"
  File "/oname=MicrosoftEdgeWebview2Setup.exe" "${WEBVIEW2_SETUP}"
  ExecWait '"$PLUGINSDIR\MicrosoftEdgeWebview2Setup.exe" /silent /install'
!else
  IfSilent done
  MessageBox MB_YESNO|MB_ICONINFORMATION "$(NeedWebView2)" IDNO done
  ExecShell "open" "${WEBVIEW2_PAGE}"
  done:
!endif
FunctionEnd

; A running Vital Few holds its program file: ask to close it (a silent
; install waits a little, then goes on and reports a failed copy).
!macro WaitUntilClosed un
Function ${un}WaitUntilClosed
  retry:
  ClearErrors
  FileOpen $0 "$INSTDIR\${EXE}" a
  ${If} ${Errors}
    ${If} ${FileExists} "$INSTDIR\${EXE}"
      IfSilent 0 +3
        Sleep 2000
        Return
      MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION "$(StillRunning)" IDRETRY retry
      Abort
    ${EndIf}
  ${Else}
    FileClose $0
  ${EndIf}
FunctionEnd
!macroend
!insertmacro WaitUntilClosed ""
!insertmacro WaitUntilClosed "un."

Section "Vital Few"
  Call WaitUntilClosed
  SetOutPath "$INSTDIR"
  File "${APP_DIR}\${EXE}"
  File "/oname=vitalfew.com" "${APP_DIR}\vitalfew-console.exe"
  File "${APP_DIR}\WebView2Loader.dll"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortCut "$SMPROGRAMS\${SHORTCUT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0
  CreateShortCut "$DESKTOP\${SHORTCUT}.lnk" "$INSTDIR\${EXE}" "" "$INSTDIR\${EXE}" 0

  ; Open with: the application, the types it reads, and a ProgID each
  ; extension lists (the owner's default program is left as it is).
  WriteRegStr HKCU "Software\Classes\Applications\${EXE}" "FriendlyAppName" "${SHORTCUT}"
  WriteRegStr HKCU "Software\Classes\Applications\${EXE}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  WriteRegStr HKCU "Software\Classes\${PROGID}" "" "$(OpenWith)"
  WriteRegStr HKCU "Software\Classes\${PROGID}\DefaultIcon" "" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "Software\Classes\${PROGID}\shell\open\command" "" '"$INSTDIR\${EXE}" "%1"'
  !insertmacro Associate ".csv"
  !insertmacro Associate ".xlsx"
  !insertmacro Associate ".xls"
  !insertmacro Associate ".ods"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'

  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "${SHORTCUT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "${PRODUCT}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\${EXE},0"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "EstimatedSize" $0

  Call WebView2
SectionEnd

Section "Uninstall"
  Call un.WaitUntilClosed
  Delete "$INSTDIR\${EXE}"
  Delete "$INSTDIR\vitalfew.com"
  Delete "$INSTDIR\WebView2Loader.dll"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"
  Delete "$SMPROGRAMS\${SHORTCUT}.lnk"
  Delete "$DESKTOP\${SHORTCUT}.lnk"
  !insertmacro Unassociate ".csv"
  !insertmacro Unassociate ".xlsx"
  !insertmacro Unassociate ".xls"
  !insertmacro Unassociate ".ods"
  DeleteRegKey HKCU "Software\Classes\${PROGID}"
  DeleteRegKey HKCU "Software\Classes\Applications\${EXE}"
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; The data folder (%APPDATA%\vitalfew) is the owner's: never removed.
  DetailPrint "$(KeepData)"
SectionEnd
