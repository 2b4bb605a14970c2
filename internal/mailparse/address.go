package mailparse

import "strings"

// String formats an address for display: "Name <email>", or whichever is known.
func (a Address) String() string {
	switch {
	case a.Name == "":
		return a.Email
	case a.Email == "":
		return a.Name
	}
	return a.Name + " <" + a.Email + ">"
}

// FormatAddresses joins addresses for display and for the search index.
func FormatAddresses(as []Address) string {
	parts := make([]string, 0, len(as))
	for _, a := range as {
		if s := a.String(); s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}
