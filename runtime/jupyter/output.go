package jupyter

// Output types, as nbformat and the messaging protocol name them.
const (
	StreamType        = "stream"
	DisplayType       = "display_data"
	UpdateDisplayType = "update_display_data"
	ResultType        = "execute_result"
	ErrorType         = "error"
)

// Bundle is a MIME bundle: MIME type -> data (text, or base64 for images).
type Bundle map[string]any

// Output is one thing a cell produced, in the order produced.
type Output struct {
	Type string // StreamType, DisplayType, UpdateDisplayType, ResultType or ErrorType

	Name string // stream: "stdout" or "stderr"
	Text string // stream: the text

	Data      Bundle // display data and results
	Metadata  Bundle // per MIME type metadata (e.g. image width)
	DisplayID string // a display that later updates replace (progress)
	Count     int    // result: the execution count

	EName, EValue string   // error: its kind and message
	Traceback     []string // error: the lines shown
}

// Content returns the output as the content of an IOPub message.
func (o Output) Content() map[string]any {
	switch o.Type {
	case StreamType:
		return map[string]any{"name": o.Name, "text": o.Text}
	case ErrorType:
		return map[string]any{"ename": o.EName, "evalue": o.EValue, "traceback": nonNil(o.Traceback)}
	}
	c := map[string]any{"data": o.Data, "metadata": metadata(o.Metadata)}
	if o.Type == ResultType {
		c["execution_count"] = o.Count
	}
	if o.DisplayID != "" {
		c["transient"] = map[string]any{"display_id": o.DisplayID}
	}
	return c
}

// NBFormat returns the output as an nbformat 4 output (update displays have
// no nbformat form: apply them with Apply).
func (o Output) NBFormat() map[string]any {
	c := o.Content()
	delete(c, "transient")
	c["output_type"] = o.Type
	return c
}

func metadata(m Bundle) Bundle {
	if m == nil {
		return Bundle{}
	}
	return m
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
