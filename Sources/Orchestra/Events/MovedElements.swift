/// Elements handed from one owner to another by move: iterating them, or appending them to an
/// array, moves each out of the buffer, which is left uninitialized. Appending moves them in one
/// block, where a copy would retain every reference each element holds and the destruction of the
/// originals would release them again.
///
/// Iterate it exactly once, to the end: a second pass would read moved-out memory, and stopping
/// early would leave the rest in the buffer for its owner to destroy.
struct MovedElements<Element>: Sequence {
    let elements: UnsafeMutableBufferPointer<Element>

    init(_ elements: UnsafeMutableBufferPointer<Element>) {
        self.elements = elements
    }

    var underestimatedCount: Int { elements.count }

    struct Iterator: IteratorProtocol {
        var remaining: Slice<UnsafeMutableBufferPointer<Element>>

        mutating func next() -> Element? {
            guard let index = remaining.indices.first else { return nil }
            remaining = remaining.dropFirst()
            return remaining.base.moveElement(from: index)
        }
    }

    func makeIterator() -> Iterator { Iterator(remaining: elements[...]) }

    /// What `Array.append(contentsOf:)` calls: moves the elements in one block.
    func _copyContents(initializing buffer: UnsafeMutableBufferPointer<Element>) -> (Iterator, Int) {
        let moved = Swift.min(elements.count, buffer.count)
        if moved > 0, let target = buffer.baseAddress, let source = elements.baseAddress {
            target.moveInitialize(from: source, count: moved)
        }
        return (Iterator(remaining: elements[moved...]), moved)
    }
}
