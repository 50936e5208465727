import Mustache

/// An empty string opens no `{{#section}}` (as in most Mustache implementations), so optional text such as a field's
/// error can guard its own markup. Rendering is unchanged and still escaped.
extension String: @retroactive MustacheCustomRenderable {
    public var renderText: String { self }
    public var isNull: Bool { isEmpty }
}
