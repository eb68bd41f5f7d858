package highlight

import (
	. "github.com/alecthomas/chroma/v2" //nolint:revive // the rules read as chroma writes them
)

// goLexer is chroma's Go lexer (lexers/go.go in chroma v2.27.0, MIT licence, see
// lexers/COPYING): its rules are Go code there, in a package whose import would build every
// lexer at start-up. One change: a raw string is a string, not a Go text template.
func goLexer() (Lexer, error) {
	return NewLexer(&Config{Name: "Go", Aliases: []string{"go", "golang"}, Filenames: []string{"*.go"}}, goRules)
}

func goRules() Rules {
	return Rules{
		"root": {
			rule(`\n`, TextWhitespace, nil),
			rule(`\s+`, TextWhitespace, nil),
			rule(`//[^\s\n\r][^\n\r]*`, CommentPreproc, nil),
			rule(`//[^\n\r]*`, CommentSingle, nil),
			rule(`/(\\\n)?[*](.|\n)*?[*](\\\n)?/`, CommentMultiline, nil),
			rule(`(import|package)\b`, KeywordNamespace, nil),
			rule(`(var|func|struct|map|chan|type|interface|const)\b`, KeywordDeclaration, nil),
			rule(Words(``, `\b`, `break`, `default`, `select`, `case`, `defer`, `go`, `else`, `goto`, `switch`, `fallthrough`, `if`, `range`, `continue`, `for`, `return`), Keyword, nil),
			rule(`(true|false|iota|nil)\b`, KeywordConstant, nil),
			rule(Words(``, `\b(\()`, `uint`, `uint8`, `uint16`, `uint32`, `uint64`, `int`, `int8`, `int16`, `int32`, `int64`, `float`, `float32`, `float64`, `complex64`, `complex128`, `byte`, `rune`, `string`, `bool`, `error`, `uintptr`, `print`, `println`, `panic`, `recover`, `close`, `complex`, `real`, `imag`, `len`, `cap`, `append`, `copy`, `delete`, `new`, `make`, `clear`, `min`, `max`), ByGroups(NameBuiltin, Punctuation), nil),
			rule(Words(``, `\b`, `uint`, `uint8`, `uint16`, `uint32`, `uint64`, `int`, `int8`, `int16`, `int32`, `int64`, `float`, `float32`, `float64`, `complex64`, `complex128`, `byte`, `rune`, `string`, `bool`, `error`, `uintptr`, `any`), KeywordType, nil),
			rule(`\d+i`, LiteralNumber, nil),
			rule(`\d+\.\d*([Ee][-+]\d+)?i`, LiteralNumber, nil),
			rule(`\.\d+([Ee][-+]\d+)?i`, LiteralNumber, nil),
			rule(`\d+[Ee][-+]\d+i`, LiteralNumber, nil),
			rule(`\d+(\.\d+[eE][+\-]?\d+|\.\d*|[eE][+\-]?\d+)`, LiteralNumberFloat, nil),
			rule(`\.\d+([eE][+\-]?\d+)?`, LiteralNumberFloat, nil),
			rule(`0[0-7]+`, LiteralNumberOct, nil),
			rule(`0[xX][0-9a-fA-F_]+`, LiteralNumberHex, nil),
			rule(`0b[01_]+`, LiteralNumberBin, nil),
			rule(`(0|[1-9][0-9_]*)`, LiteralNumberInteger, nil),
			rule(`'(\\['"\\abfnrtv]|\\x[0-9a-fA-F]{2}|\\[0-7]{1,3}|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8}|[^\\])'`, LiteralStringChar, nil),
			rule("`[^`]*`", LiteralString, nil),
			rule(`"(\\\\|\\"|[^"])*"`, LiteralString, nil),
			rule(`(<<=|>>=|<<|>>|<=|>=|&\^=|&\^|\+=|-=|\*=|/=|%=|&=|\|=|&&|\|\||<-|\+\+|--|==|!=|:=|\.\.\.|[+\-*/%&])`, Operator, nil),
			rule(`([a-zA-Z_]\w*)(\s*)(\()`, ByGroups(NameFunction, UsingSelf("root"), Punctuation), nil),
			rule(`[|^<>=!()\[\]{}.,;:~]`, Punctuation, nil),
			rule(`[^\W\d]\w*`, NameOther, nil),
		},
	}
}

// rule is a chroma Rule written as chroma's lexers write theirs, with its fields named.
func rule(pattern string, typ Emitter, mutator Mutator) Rule {
	return Rule{Pattern: pattern, Type: typ, Mutator: mutator}
}
