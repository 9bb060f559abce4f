/**
 * The NamespaceLifecycle admission plugin's guard (plugin/pkg/admission/namespace/lifecycle):
 * the namespaces every cluster relies on may not be deleted. Its immortal set is
 * metav1.NamespaceDefault, NamespaceSystem and NamespacePublic; kube-node-lease is not in it.
 */
export const IMMORTAL_NAMESPACES: ReadonlySet<string> = new Set(['default', 'kube-system', 'kube-public']);

/** The reason of the Forbidden answer to deleting an immortal namespace (`namespaces "default" is forbidden: …`). */
export const NAMESPACE_MAY_NOT_BE_DELETED = 'this namespace may not be deleted';
