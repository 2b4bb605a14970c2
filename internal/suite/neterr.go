package suite

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"syscall"
)

// Problem is what kind of failure reaching a server was.
type Problem string

const (
	ProblemNone        Problem = ""
	ProblemDNS         Problem = "dns"         // the host name does not resolve
	ProblemUnreachable Problem = "unreachable" // refused, timed out, no route
	ProblemTLS         Problem = "tls"         // certificate not trusted or handshake failed
	ProblemCanceled    Problem = "canceled"
)

// Explain classifies a transport error from reaching host and says what to do.
func Explain(host string, err error) (Problem, string) {
	if err == nil {
		return ProblemNone, ""
	}
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var certErr x509.CertificateInvalidError
	var recErr tls.RecordHeaderError
	var verifyErr *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.Canceled):
		return ProblemCanceled, "canceled"
	case errors.As(err, &unknownCA):
		return ProblemTLS, fmt.Sprintf("%s presents a certificate from an authority this computer does not trust; if your organisation uses its own CA, ask your administrator to add it to Deskport's admin defaults", host)
	case errors.As(err, &hostErr):
		return ProblemTLS, fmt.Sprintf("%s presents a certificate for another name (%v); check the domain or ask your administrator", host, hostErr.Error())
	case errors.As(err, &certErr):
		if certErr.Reason == x509.Expired {
			return ProblemTLS, fmt.Sprintf("%s presents an expired or not yet valid certificate; check this computer's clock, otherwise tell your administrator", host)
		}
		return ProblemTLS, fmt.Sprintf("%s presents an invalid certificate (%v); tell your administrator", host, certErr)
	case errors.As(err, &verifyErr):
		return ProblemTLS, fmt.Sprintf("%s presents a certificate that cannot be verified (%v); tell your administrator", host, verifyErr.Err)
	case errors.As(err, &recErr):
		return ProblemTLS, fmt.Sprintf("%s does not speak TLS (https) on this port; check the host or port", host)
	case errors.As(err, &dnsErr):
		return ProblemDNS, fmt.Sprintf("the name %s cannot be found; check the domain's spelling and your network connection", host)
	case errors.Is(err, syscall.ECONNREFUSED):
		return ProblemUnreachable, fmt.Sprintf("%s refused the connection; the service may be down or on another host", host)
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return ProblemUnreachable, fmt.Sprintf("%s did not answer in time; check your network connection or proxy", host)
	default:
		return ProblemUnreachable, fmt.Sprintf("%s cannot be reached (%v); check your network connection", host, err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// NetError is a transport failure (name, connection, TLS) with advice for
// people; Error() is the advice, Unwrap the cause.
type NetError struct {
	Problem Problem
	Advice  string
	Err     error
}

func (e *NetError) Error() string { return e.Advice }
func (e *NetError) Unwrap() error { return e.Err }

// WrapNetError explains err (from reaching host) as a *NetError.
func WrapNetError(host string, err error) error {
	if err == nil {
		return nil
	}
	prob, advice := Explain(host, err)
	return &NetError{Problem: prob, Advice: advice, Err: err}
}
