package redact

import "strings"

// isAWSCredential reports the AWS variables that carry credentials. AWS_ACCESS_KEY_ID is not
// secret on its own, but it names the key and is useless to a child without the rest, so it
// goes with them.
func isAWSCredential(upper string) bool {
	switch upper {
	case "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN",
		"AWS_BEARER_TOKEN_BEDROCK", "AWS_CONTAINER_AUTHORIZATION_TOKEN":
		return true
	}
	return false
}

// IsSecretName reports whether an environment variable of this name holds a secret: the AWS
// credential variables, and any name containing SECRET, PASSWORD or PASSWD, a word ending in
// TOKEN (GITHUB_TOKEN, NPMTOKEN; not MAX_OUTPUT_TOKENS, which counts tokens) or API_KEY,
// ACCESS_KEY, PRIVATE_KEY. Names ending in _FILE, _PATH or _DIR are not secret: they say where
// a secret is kept (AWS_WEB_IDENTITY_TOKEN_FILE), and redacting a path would mangle output.
// Case does not matter.
func IsSecretName(name string) bool {
	n := strings.ToUpper(name)
	if isAWSCredential(n) {
		return true
	}
	words := strings.Split(n, "_")
	switch words[len(words)-1] {
	case "FILE", "PATH", "DIR":
		return false
	}
	for _, s := range []string{"SECRET", "PASSWORD", "PASSWD"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	for i, w := range words {
		if strings.HasSuffix(w, "TOKEN") || strings.HasSuffix(w, "APIKEY") {
			return true
		}
		if w == "KEY" && i > 0 {
			switch words[i-1] {
			case "API", "ACCESS", "PRIVATE":
				return true
			}
		}
	}
	return false
}

// ScrubEnv returns environ without the AWS variables that hold secrets (those named AWS_… for
// which IsSecretName holds, among them AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
// AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN, AWS_BEARER_TOKEN_BEDROCK and
// AWS_CONTAINER_AUTHORIZATION_TOKEN), except those named exactly in passThrough. Other secrets
// (GITHUB_TOKEN…) stay: the user's own tools in Bash need them, and they are not strata's
// credentials. environ is not modified.
func ScrubEnv(environ []string, passThrough []string) []string {
	keep := make(map[string]bool, len(passThrough))
	for _, name := range passThrough {
		keep[name] = true
	}
	out := make([]string, 0, len(environ))
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if IsAWSSecret(name) && !keep[name] {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// IsAWSSecret reports whether a variable is one of the AWS secrets ScrubEnv removes: a name
// starting with AWS_ for which IsSecretName holds.
func IsAWSSecret(name string) bool {
	return strings.HasPrefix(strings.ToUpper(name), "AWS_") && IsSecretName(name)
}
