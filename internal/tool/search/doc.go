// Package search walks a directory tree the way ripgrep does — honouring .gitignore (inside
// git repositories), .git/info/exclude, .ignore and .rgignore, skipping .git, including
// hidden files — so that Glob and the Go back end of Grep see exactly the files rg would.
// It also holds a ripgrep-compatible glob compiler and the table of file types. Files the
// permission rules keep from the model (Options.Visible) are not walked at all.
package search
