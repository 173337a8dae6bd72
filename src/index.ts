/** Action entry point (wired fully by the GitHub integration). */
export {};
