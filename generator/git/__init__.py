"""Git plumbing: the history log, commit identities and the evidence of certification."""

import os

# A commit id names a commit's content and parents for good: certification reads them, and the
# cache keeps facts by it. A replace ref (`git replace`, which a fetch can bring) or a grafts file
# would have git show other content or other parents under the same id (a student's push to main
# as a teacher's merge), and a cache written meanwhile would keep that after they are gone. Every
# git process licheng starts inherits this: it reads the objects themselves. (A shallow clone's
# boundary is no graft file: licheng names it, history.shallow, and never caches its history.)
os.environ["GIT_NO_REPLACE_OBJECTS"] = "1"
os.environ["GIT_GRAFT_FILE"] = os.path.join(os.devnull, "no-grafts")
