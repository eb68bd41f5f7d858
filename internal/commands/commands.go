// Package commands reads custom slash commands, Markdown files in .claude/commands/ and
// ~/.claude/commands/ (a file in a subfolder is folder:name), and expands one into the
// prompt it stands for, as the reference does: $ARGUMENTS and $1…$N filled in, !`command`
// replaced by what the command printed, and @path followed by the file's contents. Running
// and reading go through a Runner the caller provides, which asks the permission decision;
// this package starts no process and reads no file of the model's choosing by itself.
package commands

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/strata-agent/strata/internal/frontmatter"
	"github.com/strata-agent/strata/internal/lazyre"
)

// Scopes, lowest precedence first: a project command wins over a user command of the same
// name.
const (
	ScopeUser    = "user"
	ScopeProject = "project"
	ScopeSkill   = "skill"  // a user-invocable skill, offered as /name
	ScopePlugin  = "plugin" // from a --plugin-dir, as /plugin:name
)

// Command is one custom command.
type Command struct {
	Name         string
	Description  string
	ArgumentHint string
	AllowedTools []string // permission rules granted while it runs (!`…` included)
	Model        string   // "" keeps the session's
	Body         string
	Scope        string
	Path         string
}

type meta struct {
	Description  string           `yaml:"description"`
	ArgumentHint string           `yaml:"argument-hint"`
	AllowedTools frontmatter.List `yaml:"allowed-tools"`
	Model        string           `yaml:"model"`
}

// Parse reads one command file.
func Parse(name, path string, data []byte, scope string) (Command, error) {
	var m meta
	body, err := frontmatter.Parse(data, &m)
	if err != nil {
		return Command{}, fmt.Errorf("%s: %w", path, err)
	}
	c := Command{Name: name, Description: strings.TrimSpace(m.Description), ArgumentHint: m.ArgumentHint,
		AllowedTools: m.AllowedTools, Model: strings.TrimSpace(m.Model), Body: strings.TrimSpace(body), Scope: scope, Path: path}
	if c.Description == "" {
		first, _, _ := strings.Cut(c.Body, "\n")
		c.Description = strings.TrimSpace(strings.TrimLeft(first, "# "))
		if r := []rune(c.Description); len(r) > 60 {
			c.Description = string(r[:60]) + "…"
		}
	}
	return c, nil
}

// LoadDir reads every .md file under dir; a missing folder has no commands and a broken
// file is reported and skipped.
func LoadDir(dir, scope string) (out []Command, problems []error) {
	if dir == "" {
		return nil, nil
	}
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if !errors.Is(err, fs.ErrNotExist) {
				problems = append(problems, err)
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".md") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		name := strings.ReplaceAll(filepath.ToSlash(strings.TrimSuffix(rel, ".md")), "/", ":")
		c, err := Parse(name, path, data, scope)
		if err != nil {
			problems = append(problems, err)
			return nil
		}
		out = append(out, c)
		return nil
	})
	return out, problems
}

// Merge keeps one command per name, the later list winning, sorted by name.
func Merge(lists ...[]Command) []Command {
	byName := map[string]Command{}
	for _, l := range lists {
		for _, c := range l {
			byName[c.Name] = c
		}
	}
	out := make([]Command, 0, len(byName))
	for _, c := range byName {
		out = append(out, c)
	}
	sort.Slice(out, func(i, k int) bool { return out[i].Name < out[k].Name })
	return out
}

// Find splits "/name args" and finds the command; ok is false when text is not a slash
// command of the list.
func Find(list []Command, text string) (c Command, args string, ok bool) {
	if !strings.HasPrefix(text, "/") {
		return Command{}, "", false
	}
	name, args, _ := strings.Cut(strings.TrimPrefix(text, "/"), " ")
	name, rest, _ := strings.Cut(name, "\n")
	args = strings.TrimSpace(rest + " " + args)
	for _, c := range list {
		if c.Name == name {
			return c, args, true
		}
	}
	return Command{}, "", false
}

// Runner does what an expansion needs from outside: running a !`command` and reading an
// @file, each after the permission decision (with the command's allowed-tools as extra
// allow rules). Their errors say why, for the user.
type Runner interface {
	Shell(ctx context.Context, command string, allowed []string) (string, error)
	ReadFile(path string, allowed []string) (string, error)
}

var (
	bangPattern = lazyre.New("!`([^`\n]+)`")
	argPattern  = lazyre.New(`\$([1-9][0-9]*)`)
	atPattern   = lazyre.New(`(?:^|\s)@([^\s` + "`" + `]+)`)
)

// Expand turns the command into its prompt. Arguments are filled in first, then !`…` runs
// (so $1 may appear in a command, as in the reference), then @files are attached.
func (c Command) Expand(ctx context.Context, args string, r Runner) (string, error) {
	body := c.fill(strings.TrimSpace(args))
	var err error
	body = bangPattern().ReplaceAllStringFunc(body, func(m string) string {
		if err != nil {
			return m
		}
		line := bangPattern().FindStringSubmatch(m)[1]
		var out string
		out, err = r.Shell(ctx, line, c.AllowedTools)
		if err != nil {
			err = fmt.Errorf("/%s: !`%s`: %w", c.Name, line, err)
		}
		return strings.TrimRight(out, "\n")
	})
	if err != nil {
		return "", err
	}
	var files []string
	for _, m := range atPattern().FindAllStringSubmatch(body, -1) {
		path := strings.TrimRight(m[1], ".,;:!?)")
		text, rerr := r.ReadFile(path, c.AllowedTools)
		if rerr != nil {
			return "", fmt.Errorf("/%s: @%s: %w", c.Name, path, rerr)
		}
		files = append(files, fmt.Sprintf("Contents of %s:\n```\n%s\n```", path, strings.TrimRight(text, "\n")))
	}
	if len(files) > 0 {
		body += "\n\n" + strings.Join(files, "\n\n")
	}
	return body, nil
}

// fill replaces $ARGUMENTS and $1…$N; arguments nobody asked for are appended so they are
// never lost.
func (c Command) fill(args string) string {
	body := c.Body
	used := strings.Contains(body, "$ARGUMENTS")
	body = strings.ReplaceAll(body, "$ARGUMENTS", args)
	words := strings.Fields(args)
	body = argPattern().ReplaceAllStringFunc(body, func(m string) string {
		used = true
		n, _ := strconv.Atoi(m[1:])
		if n <= len(words) {
			return words[n-1]
		}
		return ""
	})
	if !used && args != "" {
		body += "\n\nARGUMENTS: " + args
	}
	return body
}
