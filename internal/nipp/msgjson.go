package nipp

import (
	"encoding/json"
	"fmt"
)

// Text is a message argument already given in both languages (names from
// reference data, a resolver's explanation).
type Text struct{ VI, EN string }

func (t Text) String() string { return t.VI }

// msgArg is one argument of a stored Msg, tagged with its type so that a
// message read back formats as it was built.
type msgArg struct {
	T string          `json:"t"`
	V json.RawMessage `json:"v"`
}

type msgJSON struct {
	Key  string   `json:"key"`
	Args []msgArg `json:"args,omitempty"`
}

// MarshalJSON stores a message with typed arguments (import rows and jobs
// keep their messages this way and translate them when shown).
func (m Msg) MarshalJSON() ([]byte, error) {
	out := msgJSON{Key: m.Key}
	for _, a := range m.Args {
		var t string
		var v any = a
		switch x := a.(type) {
		case VND:
			t = "vnd"
		case Num:
			t = "num"
		case Date:
			t, v = "date", x.String()
		case Name:
			t = "name"
		case Text:
			t = "text"
		case Msg:
			t = "msg"
		case int:
			t = "int"
		case int64:
			t = "int"
		default:
			t, v = "s", fmt.Sprint(a)
		}
		b, err := json.Marshal(v)
		if err != nil {
			return nil, err
		}
		out.Args = append(out.Args, msgArg{T: t, V: b})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a message stored by MarshalJSON.
func (m *Msg) UnmarshalJSON(b []byte) error {
	var in msgJSON
	if err := json.Unmarshal(b, &in); err != nil {
		return err
	}
	m.Key, m.Args = in.Key, nil
	for _, a := range in.Args {
		var v any
		var err error
		switch a.T {
		case "vnd":
			v, err = decodeArg[VND](a.V)
		case "num":
			v, err = decodeArg[Num](a.V)
		case "int":
			v, err = decodeArg[int64](a.V)
		case "date":
			var s string
			if s, err = decodeArg[string](a.V); err == nil {
				v, err = ParseDate(s)
			}
		case "name":
			v, err = decodeArg[Name](a.V)
		case "text":
			v, err = decodeArg[Text](a.V)
		case "msg":
			v, err = decodeArg[Msg](a.V)
		default:
			v, err = decodeArg[string](a.V)
		}
		if err != nil {
			return err
		}
		m.Args = append(m.Args, v)
	}
	return nil
}

// decodeArg reads one stored argument as a value of type T.
func decodeArg[T any](raw json.RawMessage) (T, error) {
	var v T
	err := json.Unmarshal(raw, &v)
	return v, err
}

// DecodeMsg reads a message stored as text by EncodeMsg; text that is not
// an encoded message (rows written before messages had keys) comes back
// as a message whose key is the text itself, which the catalog shows as is.
func DecodeMsg(s string) Msg {
	var m Msg
	if len(s) > 0 && s[0] == '{' && json.Unmarshal([]byte(s), &m) == nil && m.Key != "" {
		return m
	}
	return Msg{Key: s}
}

// EncodeMsg stores a message as text (see DecodeMsg); the zero Msg is "".
func EncodeMsg(m Msg) string {
	if m.Key == "" {
		return ""
	}
	b, err := json.Marshal(m)
	if err != nil {
		return m.Key
	}
	return string(b)
}
