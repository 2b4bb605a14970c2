Unicode true

####
## Please note: Template replacements don't work in this file. They are provided with default defines like
## mentioned underneath.
## If the keyword is not defined, "wails_tools.nsh" will populate them with the values from ProjectInfo.
## If they are defined here, "wails_tools.nsh" will not touch them. This allows to use this project.nsi manually
## from outside of Wails for debugging and development of the installer.
##
## For development first make a wails nsis build to populate the "wails_tools.nsh":
## > wails build --target windows/amd64 --nsis
## Then you can call makensis on this file with specifying the path to your binary:
## For a AMD64 only installer:
## > makensis -DARG_WAILS_AMD64_BINARY=..\..\bin\app.exe
## For a ARM64 only installer:
## > makensis -DARG_WAILS_ARM64_BINARY=..\..\bin\app.exe
## For a installer with both architectures:
## > makensis -DARG_WAILS_AMD64_BINARY=..\..\bin\app-amd64.exe -DARG_WAILS_ARM64_BINARY=..\..\bin\app-arm64.exe
####
## The following information is taken from the ProjectInfo file, but they can be overwritten here.
####
## !define INFO_PROJECTNAME    "MyProject" # Default "{{.Name}}"
## !define INFO_COMPANYNAME    "MyCompany" # Default "{{.Info.CompanyName}}"
## !define INFO_PRODUCTNAME    "MyProduct" # Default "{{.Info.ProductName}}"
## !define INFO_PRODUCTVERSION "1.0.0"     # Default "{{.Info.ProductVersion}}"
## !define INFO_COPYRIGHT      "Copyright" # Default "{{.Info.Copyright}}"
###
## !define PRODUCT_EXECUTABLE  "Application.exe"      # Default "${INFO_PROJECTNAME}.exe"
## !define UNINST_KEY_NAME     "UninstKeyInRegistry"  # Default "${INFO_COMPANYNAME}${INFO_PRODUCTNAME}"
####
## !define REQUEST_EXECUTION_LEVEL "admin"            # Default "admin"  see also https://nsis.sourceforge.io/Docs/Chapter4.html
####
# Deskport installs per user, without admin rights, into
# %LOCALAPPDATA%\Programs\Deskport; registry entries go to HKCU.
!define REQUEST_EXECUTION_LEVEL "user"
!define PRODUCT_EXECUTABLE "deskport.exe"
# DESKPORT_VERSION is the full version (scripts/dist.sh defines it); the
# numeric INFO_PRODUCTVERSION is what Windows' version fields take.
####
## Include the wails tools
####
!include "wails_tools.nsh"
!include "LogicLib.nsh"
!include "StrFunc.nsh"
${StrRep}
!ifndef DESKPORT_VERSION
    !define DESKPORT_VERSION "${INFO_PRODUCTVERSION}"
!endif
!define DESKPORT_UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Deskport"

# The version information for this two must consist of 4 parts
VIProductVersion "${INFO_PRODUCTVERSION}.0"
VIFileVersion    "${INFO_PRODUCTVERSION}.0"

VIAddVersionKey "CompanyName"     "${INFO_COMPANYNAME}"
VIAddVersionKey "FileDescription" "${INFO_PRODUCTNAME} Installer"
VIAddVersionKey "ProductVersion"  "${DESKPORT_VERSION}"
VIAddVersionKey "FileVersion"     "${INFO_PRODUCTVERSION}"
VIAddVersionKey "LegalCopyright"  "${INFO_COPYRIGHT}"
VIAddVersionKey "ProductName"     "${INFO_PRODUCTNAME}"

# Enable HiDPI support. https://nsis.sourceforge.io/Reference/ManifestDPIAware
ManifestDPIAware true

!include "MUI.nsh"

!define MUI_ICON "..\icon.ico"
!define MUI_UNICON "..\icon.ico"
# !define MUI_WELCOMEFINISHPAGE_BITMAP "resources\leftimage.bmp" #Include this to add a bitmap on the left side of the Welcome Page. Must be a size of 164x314
!define MUI_FINISHPAGE_NOAUTOCLOSE # Wait on the INSTFILES page so the user can take a look into the details of the installation steps
!define MUI_ABORTWARNING # This will warn the user if they exit from the installer.

!insertmacro MUI_PAGE_WELCOME # Welcome to the installer page.
# !insertmacro MUI_PAGE_LICENSE "resources\eula.txt" # Adds a EULA page to the installer
!insertmacro MUI_PAGE_DIRECTORY # In which folder install page.
!insertmacro MUI_PAGE_INSTFILES # Installing page.
!insertmacro MUI_PAGE_FINISH # Finished installation page.

!insertmacro MUI_UNPAGE_INSTFILES # Uinstalling page

!insertmacro MUI_LANGUAGE "English" # Set the Language of the installer

## The following two statements can be used to sign the installer and the uninstaller. The path to the binaries are provided in %1
#!uninstfinalize 'signtool --file "%1"'
#!finalize 'signtool --file "%1"'

Name "${INFO_PRODUCTNAME}"
OutFile "..\..\bin\${INFO_PROJECTNAME}-${ARCH}-installer.exe" # Name of the installer's file.
InstallDir "$LOCALAPPDATA\Programs\Deskport" # per user: no admin rights needed
ShowInstDetails show # This will always show the installation details.

# Command line (all optional; /S for a silent install, /D=DIR last for another folder):
#   /DEFAULTS=FILE         copy FILE to %PROGRAMDATA%\Deskport\defaults.json (admin defaults)
#   /DOMAIN=bund.example   write defaults.json with this suite domain ...
#   /LOCKED=domain,hosts   ... and these settings locked
# Uninstaller: /PURGE also removes the user's settings, caches and data.
Var DefaultsFile
Var DefaultsDomain
Var DefaultsLocked

Function .onInit
   !insertmacro wails.checkArchitecture
   ${GetParameters} $R0
   ClearErrors
   ${GetOptions} $R0 "/DEFAULTS=" $DefaultsFile
   ClearErrors
   ${GetOptions} $R0 "/DOMAIN=" $DefaultsDomain
   ClearErrors
   ${GetOptions} $R0 "/LOCKED=" $DefaultsLocked
   ClearErrors
FunctionEnd

# writeDefaults: the admin defaults file, when asked for on the command line.
# It goes where Deskport reads it (internal/config.DefaultsPathFor).
Function writeDefaults
    ${If} $DefaultsFile == ""
    ${AndIf} $DefaultsDomain == ""
        Return
    ${EndIf}
    ReadEnvStr $R1 PROGRAMDATA
    ${If} $R1 == ""
        StrCpy $R1 "C:\ProgramData"
    ${EndIf}
    CreateDirectory "$R1\Deskport"
    ${If} $DefaultsFile != ""
        ClearErrors
        CopyFiles /SILENT "$DefaultsFile" "$R1\Deskport\defaults.json"
        ${If} ${Errors}
            DetailPrint "Cannot copy the defaults $DefaultsFile to $R1\Deskport\defaults.json"
            SetErrorLevel 3
            Abort "Cannot copy the defaults $DefaultsFile to $R1\Deskport\defaults.json"
        ${EndIf}
        DetailPrint "Admin defaults: $R1\Deskport\defaults.json (from $DefaultsFile)"
        Return
    ${EndIf}
    # A domain is letters, digits, dots and hyphens: nothing to escape in JSON.
    StrCpy $R2 0
    ${Do}
        StrCpy $R3 $DefaultsDomain 1 $R2
        ${If} $R3 == ""
            ${Break}
        ${EndIf}
        ${If} $R3 == '"'
        ${OrIf} $R3 == "\"
        ${OrIf} $R3 == " "
            SetErrorLevel 2
            Abort "/DOMAIN= takes a bare domain such as bund.example"
        ${EndIf}
        IntOp $R2 $R2 + 1
    ${Loop}
    StrCpy $R4 ""
    ${If} $DefaultsLocked != ""
        ${StrRep} $R4 $DefaultsLocked '"' ''
        ${StrRep} $R4 $R4 ' ' ''
        ${StrRep} $R4 $R4 ',' '", "'
        StrCpy $R4 ', "locked": ["$R4"]'
    ${EndIf}
    ClearErrors
    FileOpen $R5 "$R1\Deskport\defaults.json" w
    ${If} ${Errors}
        SetErrorLevel 3
        Abort "Cannot write $R1\Deskport\defaults.json"
    ${EndIf}
    FileWrite $R5 '{"domain": "$DefaultsDomain"$R4}$\r$\n'
    FileClose $R5
    DetailPrint "Admin defaults: $R1\Deskport\defaults.json"
FunctionEnd

Section
    SetShellVarContext current

    !insertmacro wails.webview2runtime

    SetOutPath $INSTDIR

    !insertmacro wails.files

    CreateShortcut "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk" "$INSTDIR\${PRODUCT_EXECUTABLE}"

    # deskport:// links, per user. The program's path is quoted: user
    # profiles may have spaces in their names.
    DeleteRegKey HKCU "Software\Classes\deskport"
    WriteRegStr HKCU "Software\Classes\deskport" "" "URL:Deskport link"
    WriteRegStr HKCU "Software\Classes\deskport" "URL Protocol" ""
    WriteRegStr HKCU "Software\Classes\deskport\DefaultIcon" "" "$\"$INSTDIR\${PRODUCT_EXECUTABLE}$\",0"
    WriteRegStr HKCU "Software\Classes\deskport\shell\open\command" "" "$\"$INSTDIR\${PRODUCT_EXECUTABLE}$\" $\"%1$\""

    Call writeDefaults

    WriteUninstaller "$INSTDIR\uninstall.exe"
    WriteRegStr HKCU "${DESKPORT_UNINST_KEY}" "Publisher" "${INFO_COMPANYNAME}"
    WriteRegStr HKCU "${DESKPORT_UNINST_KEY}" "DisplayName" "${INFO_PRODUCTNAME}"
    WriteRegStr HKCU "${DESKPORT_UNINST_KEY}" "DisplayVersion" "${DESKPORT_VERSION}"
    WriteRegStr HKCU "${DESKPORT_UNINST_KEY}" "DisplayIcon" "$INSTDIR\${PRODUCT_EXECUTABLE}"
    WriteRegStr HKCU "${DESKPORT_UNINST_KEY}" "InstallLocation" "$INSTDIR"
    WriteRegStr HKCU "${DESKPORT_UNINST_KEY}" "UninstallString" "$\"$INSTDIR\uninstall.exe$\""
    WriteRegStr HKCU "${DESKPORT_UNINST_KEY}" "QuietUninstallString" "$\"$INSTDIR\uninstall.exe$\" /S"
    WriteRegDWORD HKCU "${DESKPORT_UNINST_KEY}" "NoModify" 1
    WriteRegDWORD HKCU "${DESKPORT_UNINST_KEY}" "NoRepair" 1
SectionEnd

Section "uninstall"
    SetShellVarContext current

    # The user's settings, mail cache, sync state and web profile stay (a
    # reinstall finds them) unless /PURGE is given. The admin defaults in
    # %PROGRAMDATA% always stay: they belong to the administrator; so does
    # the synced folder: it holds the user's own files.
    ${GetParameters} $R0
    ClearErrors
    ${GetOptions} $R0 "/PURGE" $R1
    StrCpy $R3 ""
    ${IfNot} ${Errors}
        StrCpy $R3 1
        # Sign out while the program is still here: the server revokes this
        # device's app password and the passwords leave Credential Manager
        # (which removing folders would not reach).
        ExecWait '"$INSTDIR\${PRODUCT_EXECUTABLE}" logout --yes' $R2
        DetailPrint "deskport logout: exit code $R2"
    ${EndIf}

    Delete "$INSTDIR\${PRODUCT_EXECUTABLE}"
    Delete "$INSTDIR\uninstall.exe"
    RMDir $INSTDIR
    Delete "$SMPROGRAMS\${INFO_PRODUCTNAME}.lnk"
    DeleteRegKey HKCU "Software\Classes\deskport"
    DeleteRegKey HKCU "${DESKPORT_UNINST_KEY}"

    ${If} $R3 == 1
        RMDir /r "$APPDATA\Deskport"
        RMDir /r "$LOCALAPPDATA\Deskport"
        RMDir /r "$APPDATA\${PRODUCT_EXECUTABLE}" # WebView2's profile (Wails' default)
    ${EndIf}
SectionEnd
