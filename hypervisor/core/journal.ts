/** Undo steps recorded while a unit initialises a cell, replayed in reverse when a later step fails. */
export class Journal {
  private readonly steps: (() => void)[] = [];

  record(undo: () => void): void {
    this.steps.push(undo);
  }

  rollback(): void {
    for (let undo = this.steps.pop(); undo; undo = this.steps.pop()) undo();
  }

  /** Runs `body`; if it throws, undoes what it recorded and rethrows. */
  static atomic<T>(body: (journal: Journal) => T): T {
    const journal = new Journal();
    try {
      return body(journal);
    } catch (error) {
      journal.rollback();
      throw error;
    }
  }
}
