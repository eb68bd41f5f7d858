package cli

import "errors"

// runPrint answers the prompt without a UI (A1).
func runPrint(a *app, opts *Options) error {
	return errors.New("print mode is not wired yet")
}
