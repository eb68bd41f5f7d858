// Package attack is strata's attack suite: a hostile model, played by the scripted emulator
// (internal/bedrocksim, in-process), drives the real strata — flags, settings, permission
// checker, agent loop and tools, through cli.Run in print mode — against a project that holds
// secrets, and tries to read what the Read rules deny, to write files that make programs run
// code or widen its own permissions, and to run a command the rules refuse. Each attempt
// passes when the canary file it aims to create is absent, the protected files are unchanged,
// and no secret or hidden file name reaches a request body, the transcript or the output.
//
// The attempts are rows of a table (cases_test.go); adding one is adding a row.
package attack
