package app

import "github.com/deskport/deskport/internal/workspace"

// mailService is the Mail view's service, on the offline mail cache.
func mailService() *Mail {
	svc := NewMail(workspace.OpenMailCache, ws.SignedInMail)
	UseMailSettings(svc, workspace.LoadSettings)
	// A mail sign-in in the accounts view syncs at once.
	SyncOnSignIn(svc, appAccounts())
	// mailto: links clicked in a mail open the mail view's compose panel.
	composeMailto = func(u string) bool { return ComposeMailto(svc, u) }
	return svc
}
