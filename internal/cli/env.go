package cli

import (
	"os"
)

// Env is the process environment and places strata starts from. Main fills it from the
// operating system; tests give their own.
type Env struct {
	Getenv  func(string) string
	Setenv  func(key, value string) error
	Environ func() []string
	Home    string
	Cwd     string
	Euid    int // the effective user ID; 0 is root, -1 where there is none (Windows)
}

// osEnv is the real process environment.
func osEnv() (Env, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return Env{}, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return Env{}, err
	}
	return Env{Getenv: os.Getenv, Setenv: os.Setenv, Environ: os.Environ, Home: home, Cwd: cwd, Euid: os.Geteuid()}, nil
}
