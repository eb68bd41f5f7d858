package fsutil

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
)

// schemaNode is the part of a JSON Schema the field check looks at.
type schemaNode struct {
	Type       string                 `json:"type"`
	Properties map[string]*schemaNode `json:"properties"`
	Items      *schemaNode            `json:"items"`
	Required   []string               `json:"required"`
}

// CheckSchema reports whether a hand-written input schema declares exactly the JSON fields
// of the Go input struct v, recursing into nested objects and arrays of objects, and
// whether every required property exists. Tools call it from their tests so the schema sent
// to the model cannot drift from what Run decodes.
func CheckSchema(schema []byte, v any) error {
	var root schemaNode
	if err := json.Unmarshal(schema, &root); err != nil {
		return fmt.Errorf("schema is not valid JSON: %w", err)
	}
	return compareNode("$", &root, reflect.TypeOf(v))
}

func compareNode(at string, n *schemaNode, t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		return compareObject(at, n, t)
	case reflect.Slice:
		if n.Type != "array" || n.Items == nil {
			return fmt.Errorf("%s: Go type is a slice but the schema says type %q without items", at, n.Type)
		}
		return compareNode(at+"[]", n.Items, t.Elem())
	}
	return nil
}

func compareObject(at string, n *schemaNode, t reflect.Type) error {
	if n.Type != "object" {
		return fmt.Errorf("%s: Go type is a struct but the schema says type %q", at, n.Type)
	}
	fields := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = f.Name // encoding/json decodes an untagged field under its Go name
		}
		fields[name] = f.Type
	}
	for name, ft := range fields {
		p, ok := n.Properties[name]
		if !ok {
			return fmt.Errorf("%s: field %q is decoded but missing from the schema", at, name)
		}
		if err := compareNode(at+"."+name, p, ft); err != nil {
			return err
		}
	}
	for name := range n.Properties {
		if _, ok := fields[name]; !ok {
			return fmt.Errorf("%s: schema property %q has no field in the Go struct", at, name)
		}
	}
	for _, r := range n.Required {
		if _, ok := n.Properties[r]; !ok {
			return fmt.Errorf("%s: required property %q is not declared", at, r)
		}
	}
	return nil
}
