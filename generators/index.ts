/** The public surface of `generators/`: pure emitters from typed data to text, and the one file writer. */
export { atomicWrite } from "./atomicWrite.js";
