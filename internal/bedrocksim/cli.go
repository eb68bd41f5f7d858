package bedrocksim

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Exit codes of the bedrocksim command.
const (
	ExitOK    = 0
	ExitError = 1 // the server could not start or run
	ExitUsage = 2 // bad flags or a bad script
)

const usageHead = `bedrocksim runs a local Amazon Bedrock emulator for Claude models on 127.0.0.1.

Usage: bedrocksim [flags]

It prints its base URL on stdout (one line) once it accepts requests, then serves the
runtime routes (InvokeModel, InvokeModelWithResponseStream) and the control plane
(ListInferenceProfiles, GetInferenceProfile) on that URL until SIGINT or SIGTERM.
Without --script it answers with a deterministic echo model. Reference: docs/bedrocksim.md.

Flags:
`

// listFlag collects a repeatable flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// secretList collects a repeatable flag whose values are secrets: never printed back.
type secretList []string

func (l *secretList) String() string     { return "" }
func (l *secretList) Set(v string) error { *l = append(*l, v); return nil }

// cliFlags are the command's flags before they become a Config.
type cliFlags struct {
	addr, script, certOut, logPath, urlOut, pathPrefix, accountID string
	regions, deny, denyOps, appProfiles                           listFlag
	keys, bearers                                                 secretList
	tls, noAuth, denyControl                                      bool
	firstByte, perToken, keyExpiresIn                             time.Duration
	keyExpireAfter, pageSize                                      int
}

func newFlagSet(f *cliFlags, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("bedrocksim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:0", "listen `ADDRESS`; loopback only (127.0.0.1, ::1 or localhost); port 0 picks a free one")
	fs.Var(&f.regions, "region", "serve `REGION`, repeatable; the SigV4 scope must name one (default us-east-1)")
	fs.BoolVar(&f.tls, "tls", false, "serve HTTPS with a fresh self-signed certificate for 127.0.0.1 and localhost")
	fs.StringVar(&f.certOut, "cert-out", "", "write the certificate (PEM) to `FILE`, for AWS_CA_BUNDLE; implies --tls")
	fs.Var(&f.keys, "key", "accept the SigV4 key pair `AKID:SECRET[:TOKEN]` (TOKEN: a session token), repeatable")
	fs.IntVar(&f.keyExpireAfter, "key-expire-after", 0, "every --key answers ExpiredTokenException after `N` authenticated requests (0: never)")
	fs.DurationVar(&f.keyExpiresIn, "key-expires-in", 0, "every --key answers ExpiredTokenException once this `DURATION` has passed (0: never)")
	fs.Var(&f.bearers, "bearer", "accept this Bedrock API key (Authorization: Bearer `TOKEN`), repeatable; clients need --tls")
	fs.BoolVar(&f.noAuth, "no-auth", false, "accept requests without any credentials (skip-auth gateways); signed requests are still verified")
	fs.StringVar(&f.script, "script", "", "answer from the script in `FILE` (JSON) instead of the echo model")
	fs.Var(&f.deny, "deny", "answer 403 AccessDeniedException for this `MODEL` (model, base or profile ID), repeatable")
	fs.BoolVar(&f.denyControl, "deny-control-plane", false, "answer 403 AccessDeniedException to ListInferenceProfiles and GetInferenceProfile")
	fs.Var(&f.denyOps, "deny-operation", "answer 403 AccessDeniedException to this `OPERATION` (InvokeModel, InvokeModelWithResponseStream, CountTokens, ListInferenceProfiles, GetInferenceProfile, ListFoundationModels, GetFoundationModel), repeatable")
	fs.Var(&f.appProfiles, "app-profile", "serve the application inference profile `ARN=MODEL` (MODEL: base or system profile ID), repeatable")
	fs.DurationVar(&f.firstByte, "latency-first-byte", 0, "wait this `DURATION` before the first byte of each answer")
	fs.DurationVar(&f.perToken, "latency-per-token", 0, "wait this `DURATION` per output token while streaming")
	fs.StringVar(&f.logPath, "log", "", "append a JSONL request log (secrets masked) to `FILE`; - for stderr")
	fs.StringVar(&f.pathPrefix, "path-prefix", "", "serve every route under this `PATH` (like a gateway at https://host/PATH)")
	fs.IntVar(&f.pageSize, "page-size", 5, "ListInferenceProfiles returns `N` profiles per page when the request gives no maxResults")
	fs.StringVar(&f.accountID, "account-id", "123456789012", "AWS account `ID` shown in inference-profile ARNs")
	fs.StringVar(&f.urlOut, "url-out", "", "also write the base URL to `FILE` once ready (for scripts that start bedrocksim in the background)")
	fs.Usage = func() {} // RunCommand prints help and hints itself
	return fs
}

func printUsage(fs *flag.FlagSet) {
	w := fs.Output()
	fmt.Fprint(w, usageHead)
	fs.VisitAll(func(fl *flag.Flag) {
		name, usage := flag.UnquoteUsage(fl)
		fmt.Fprintf(w, "  %s\n      %s", strings.TrimSpace("--"+fl.Name+" "+name), usage)
		if def := fl.DefValue; def != "" && def != "false" && def != "0" && def != "0s" && def != "[]" {
			fmt.Fprintf(w, " (default %s)", def)
		}
		fmt.Fprintln(w)
	})
}

// config turns the flags into a Config; the returned closer closes the log file.
func (f *cliFlags) config(stderr io.Writer) (Config, func(), error) {
	cfg := Config{Regions: f.regions, TLS: f.tls || f.certOut != "", NoAuth: f.noAuth, Denied: f.deny,
		DenyControlPlane: f.denyControl, DenyOperations: f.denyOps, PathPrefix: f.pathPrefix,
		AccountID: f.accountID, PageSize: f.pageSize, Addr: f.addr, BearerTokens: f.bearers,
		Latency: Latency{FirstByte: f.firstByte, PerToken: f.perToken}, AppProfiles: map[string]string{}}
	for _, op := range f.denyOps {
		switch op {
		case OpInvoke, OpInvokeStream, OpCountTokens, OpListProfiles, OpGetProfile, OpListModels, OpGetModel:
		default:
			return cfg, nil, fmt.Errorf("--deny-operation %q: not an operation bedrocksim serves", op)
		}
	}
	keys, err := f.credentials()
	if err != nil {
		return cfg, nil, err
	}
	cfg.Keys = keys
	for _, p := range f.appProfiles {
		arn, model, ok := strings.Cut(p, "=")
		if !ok {
			return cfg, nil, fmt.Errorf("--app-profile %q is not of the form ARN=MODEL", p)
		}
		cfg.AppProfiles[arn] = model
	}
	if len(cfg.Keys) == 0 && len(cfg.BearerTokens) == 0 && !cfg.NoAuth {
		return cfg, nil, errors.New("no way to authenticate: give --key, --bearer or --no-auth")
	}
	if f.script != "" {
		if cfg.Script, err = LoadScript(f.script); err != nil {
			return cfg, nil, err
		}
	}
	closeLog, err := f.openLog(&cfg, stderr)
	return cfg, closeLog, err
}

// credentials reads the --key flags; errors never repeat the secret.
func (f *cliFlags) credentials() ([]Credential, error) {
	var out []Credential
	for i, k := range f.keys {
		parts := strings.SplitN(k, ":", 3)
		if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
			return nil, fmt.Errorf("--key number %d is not of the form AKID:SECRET[:TOKEN]", i+1)
		}
		c := Credential{AccessKeyID: parts[0], SecretAccessKey: parts[1], ExpireAfterRequests: f.keyExpireAfter}
		if len(parts) == 3 {
			c.SessionToken = parts[2]
		}
		if f.keyExpiresIn > 0 {
			c.ExpiresAt = time.Now().Add(f.keyExpiresIn)
		}
		out = append(out, c)
	}
	return out, nil
}

// openLog sets cfg.Log from --log. The log holds prompts, so its file is private.
func (f *cliFlags) openLog(cfg *Config, stderr io.Writer) (func(), error) {
	switch f.logPath {
	case "":
		return func() {}, nil
	case "-":
		cfg.Log = stderr
		return func() {}, nil
	}
	file, err := os.OpenFile(f.logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open the request log: %w", err)
	}
	cfg.Log = file
	return func() { file.Close() }, nil
}

// RunCommand is the bedrocksim program: it parses args, starts the emulator, prints its URL
// on stdout and serves until ctx ends (the program cancels ctx on SIGINT and SIGTERM).
func RunCommand(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var f cliFlags
	fs := newFlagSet(&f, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stdout)
			printUsage(fs)
			return ExitOK
		}
		fmt.Fprintln(stderr, "Run 'bedrocksim --help' for the flags.")
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "bedrocksim: unexpected argument %q (all settings are flags; see --help)\n", fs.Arg(0))
		return ExitUsage
	}
	cfg, closeLog, err := f.config(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "bedrocksim: %v\n", err)
		return ExitUsage
	}
	defer closeLog()
	srv, err := Start(cfg)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return ExitError
	}
	if err := f.announce(srv, stdout); err != nil {
		srv.Close()
		fmt.Fprintf(stderr, "bedrocksim: %v\n", err)
		return ExitError
	}
	<-ctx.Done()
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	return ExitOK
}

// announce writes the certificate and the URL files, then prints the URL: once the URL is
// out, everything a client needs exists.
func (f *cliFlags) announce(srv *Server, stdout io.Writer) error {
	if f.certOut != "" {
		if err := srv.WriteCert(f.certOut); err != nil {
			return err
		}
	}
	if f.urlOut != "" {
		tmp := filepath.Join(filepath.Dir(f.urlOut), "."+filepath.Base(f.urlOut)+".tmp")
		if err := os.WriteFile(tmp, []byte(srv.URL()+"\n"), 0o644); err != nil {
			return fmt.Errorf("write the URL file: %w", err)
		}
		if err := os.Rename(tmp, f.urlOut); err != nil {
			return fmt.Errorf("write the URL file: %w", err)
		}
	}
	_, err := fmt.Fprintln(stdout, srv.URL())
	return err
}
