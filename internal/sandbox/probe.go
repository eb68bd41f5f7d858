package sandbox

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/strata-agent/strata/internal/proc"
)

// Status says whether the sandbox can run here, and if not, why and what fixes it.
type Status struct {
	Available    bool
	Reason, Fix  string // set when not Available
	Bwrap, Socat string // the programs found
}

// probeTimeout bounds the trial run of bwrap.
const probeTimeout = 10 * time.Second

// Probe checks that this system can build the sandbox: Linux, bwrap and socat in PATH, and
// a trial bwrap with every namespace unshared succeeding (user namespaces may be disabled by
// the kernel, by AppArmor or inside a container).
func Probe(ctx context.Context) Status {
	if runtime.GOOS != "linux" {
		return Status{Reason: fmt.Sprintf("the Bash sandbox is not available on %s here: strata builds it from Linux namespaces (bubblewrap)", runtime.GOOS),
			Fix: "Commands run with permission rules only. Run strata on Linux, or in a Linux container or VM, for the sandbox."}
	}
	var st Status
	var missing []string
	var err error
	if st.Bwrap, err = proc.LookPath("bwrap"); err != nil {
		missing = append(missing, "bubblewrap")
	}
	if st.Socat, err = proc.LookPath("socat"); err != nil {
		missing = append(missing, "socat")
	}
	if len(missing) > 0 {
		st.Reason = "the Bash sandbox needs " + strings.Join(missing, " and ") + ", which " +
			map[bool]string{true: "is", false: "are"}[len(missing) == 1] + " not installed"
		st.Fix = "Install them, e.g. `sudo apt-get install " + strings.Join(missing, " ") + "` (Debian/Ubuntu) or `sudo dnf install " + strings.Join(missing, " ") + "`."
		return st
	}
	out := proc.NewCapture(2000, 0)
	res := proc.Run(ctx, proc.Cmd{Argv: []string{st.Bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
		"--dev", "/dev", "--proc", "/proc", "--", "true"}, Output: out, Timeout: probeTimeout})
	if err := res.Err(); err != nil {
		st.Reason = fmt.Sprintf("bubblewrap cannot create the sandbox's namespaces here (%v: %s)", err, strings.TrimSpace(out.String()))
		st.Fix = "Allow unprivileged user namespaces: `sudo sysctl kernel.unprivileged_userns_clone=1`, and on Ubuntu 24.04+ " +
			"`sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0`; in a container, run it with user namespaces allowed."
		return st
	}
	st.Available = true
	return st
}
