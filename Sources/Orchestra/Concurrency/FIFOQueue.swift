/// A first-in, first-out queue that pops from the front in constant time and can drop any element —
/// the waiters of a ``Bulkhead``, of which a cancelled one leaves from wherever it stands.
struct FIFOQueue<Element> {
    private var elements: [Element] = []
    private var head = 0

    /// The number of elements.
    var count: Int { elements.count - head }

    /// Adds `element` at the back.
    mutating func append(_ element: Element) { elements.append(element) }

    /// Removes and returns the front element, if any.
    mutating func popFirst() -> Element? {
        guard head < elements.count else { return nil }
        let first = elements[head]
        head += 1
        if head == elements.count {
            elements.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= elements.count {
            // Half the storage is spent: move the rest down, once per as many pops as remain.
            elements.removeFirst(head)
            head = 0
        }
        return first
    }

    /// Removes and returns the first element that `matches`, if any.
    mutating func remove(where matches: (Element) -> Bool) -> Element? {
        guard let index = elements[head...].firstIndex(where: matches) else { return nil }
        // The front leaves as in a pop, so that cancelling many waiters in order costs no shifting.
        if index == head { return popFirst() }
        return elements.remove(at: index)
    }
}

extension FIFOQueue: Sendable where Element: Sendable {}
