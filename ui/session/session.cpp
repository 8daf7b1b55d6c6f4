#include "session/session.h"

#include "alignscope/datasets.h"

#include <QDir>
#include <QFileInfo>
#include <algorithm>

using namespace alignscope;

namespace {

bool isSquareOver(const NdArray& array, const StimulusSet* objects)
{
    const auto n = std::int64_t(objects ? objects->size() : 0);
    return array.shape.size() == 2 && n > 0 && array.rows() == n && array.cols() == n;
}

// A small non-negative matrix is most likely a concept embedding such as VICE (1854×42); optimiser noise just
// below zero (SPoSE) is allowed, as loading the concept space clamps it.
bool looksLikeConcepts(const NdArray& array)
{
    if (array.shape.size() != 2 || array.cols() > 100) return false;
    for (std::int64_t i = 0; i < array.elementCount(); ++i)
        if (array.valueAt(i) < -double(kConceptNegativeTolerance)) return false;
    return true;
}

// The transformed copy of a model's features joins the session under this (virtual) path.
QString probedPath(const QString& path)
{
    const QFileInfo info(path);
    const QString name = info.completeBaseName() + QStringLiteral("+probe");
    return info.dir().filePath(info.suffix().isEmpty() ? name : name + QLatin1Char('.') + info.suffix());
}

} // namespace

QString SessionItem::modelName() const
{
    return name.isEmpty() ? defaultName() : name;
}

QString SessionItem::defaultName() const
{
    const QString stem = QFileInfo(data.path).completeBaseName();
    if (role != ItemRole::HumanData && role != ItemRole::ConceptSpace) return stem;
    if (data.human && !data.human->description.empty() && data.human->description != stem.toStdString())
        return QString::fromStdString(data.human->description);
    return QString(stem).replace(QLatin1Char('_'), QLatin1Char(' '));
}

ItemRole roleOf(const LoadedItem& item, const StimulusSet* objects, const QString& conceptPath,
                bool guessConcepts)
{
    switch (item.kind) {
    case LoadedItem::Kind::Objects:
        return ItemRole::Objects;
    case LoadedItem::Kind::Triplets:
        return ItemRole::Triplets;
    case LoadedItem::Kind::Model:
        return ItemRole::TorchScriptModel;
    case LoadedItem::Kind::IdList:
        return ItemRole::RowIds;
    case LoadedItem::Kind::HumanDataset:
        return ItemRole::HumanData;
    case LoadedItem::Kind::BatchResults:
        return ItemRole::BatchResults;
    case LoadedItem::Kind::Matrix:
    case LoadedItem::Kind::Failed:
        break;
    }
    if (!item.matrix) return ItemRole::ModelFeatures;
    if (!conceptPath.isEmpty() && item.path == conceptPath) return ItemRole::ConceptSpace;
    if (isSquareOver(item.matrix->array, objects)) return ItemRole::HumanData;
    // A concept space describes the objects: only a matrix with a row per object is taken for one.
    if (guessConcepts && conceptPath.isEmpty() && objects &&
        item.matrix->array.rows() == std::int64_t(objects->size()) && looksLikeConcepts(item.matrix->array))
        return ItemRole::ConceptSpace;
    return ItemRole::ModelFeatures;
}

int Session::add(LoadedItem item, Origin origin, int sourceId)
{
    if (item.kind == LoadedItem::Kind::Failed) {
        Q_EMIT message(item.error, true);
        return 0;
    }
    if (item.kind == LoadedItem::Kind::IdList && !m_objects) {
        item.kind = LoadedItem::Kind::Objects; // the first ID list defines the objects; later ones name rows
        item.summary.replace(QStringLiteral(" IDs"), QStringLiteral(" objects"));
    }
    std::vector<LoadedItem> extra = std::move(item.extra);
    item.extra.clear();
    const bool newObjects = item.kind == LoadedItem::Kind::Objects && item.objects;
    if (newObjects) {
        m_objects = item.objects;
        // Triplets index the previous object set; they no longer apply.
        m_items.erase(std::remove_if(m_items.begin(), m_items.end(),
                                     [](const SessionItem& i) {
                                         return i.role == ItemRole::Triplets || i.role == ItemRole::Objects;
                                     }),
                      m_items.end());
        assignRoles();
    }
    SessionItem added;
    added.id = m_nextId++;
    added.role = roleOf(item, m_objects.get(), m_settings.conceptPath, origin == Origin::File);
    added.sourceId = sourceId;
    added.data = std::move(item);
    // A name chosen for this path (a reopened project) wins over the one its maker proposed; either is made
    // unique, as analyses tell their models apart by name.
    const auto chosen = m_chosenNames.find(added.data.path);
    const QString wanted = chosen != m_chosenNames.end() ? chosen->second : added.data.name;
    if (!wanted.isEmpty()) {
        added.name = wanted;
        for (int copy = 2; !nameIsFree(added.name, 0); ++copy)
            added.name = QStringLiteral("%1 (%2)").arg(wanted).arg(copy);
    }
    Q_EMIT message(tr("Loaded %1").arg(added.data.summary), false);
    if (added.role == ItemRole::ConceptSpace && m_settings.conceptPath != added.data.path) {
        m_settings.conceptPath = added.data.path;
        Q_EMIT message(tr("%1 is used as the concept space (right-click it to use it as a model instead).")
                           .arg(added.data.path),
                       false);
        Q_EMIT settingsChanged(); // the item's own itemsChanged recomputes
    }
    if (m_probe && m_probe->sourceId == 0 && m_probe->sourcePath == added.data.path) {
        m_probe->sourceId = added.id;
        Q_EMIT probeChanged();
    }
    const int id = added.id;
    m_items.push_back(std::move(added));
    Q_EMIT itemAdded(id);
    for (LoadedItem& e : extra)
        add(std::move(e));
    if (newObjects) Q_EMIT objectsChanged();
    Q_EMIT itemsChanged();
    return id;
}

bool Session::nameIsFree(const QString& name, int exceptId) const
{
    // Only what analyses name counts: the TorchScript model "demo_cnn.pt" may share its features' name.
    return std::none_of(m_items.begin(), m_items.end(), [&](const SessionItem& other) {
        const bool named = other.role == ItemRole::ModelFeatures || other.role == ItemRole::HumanData ||
                           other.role == ItemRole::ConceptSpace;
        return named && other.id != exceptId && other.modelName() == name;
    });
}

bool Session::rename(int id, const QString& name, QString* error)
{
    auto at = std::find_if(m_items.begin(), m_items.end(), [id](const SessionItem& i) { return i.id == id; });
    if (at == m_items.end()) return false;
    const QString wanted = name.trimmed();
    if (!wanted.isEmpty() && !nameIsFree(wanted, id)) {
        if (error) *error = tr("\"%1\" is already the name of another item").arg(wanted);
        return false;
    }
    if (at->name == wanted) return true;
    at->name = wanted;
    m_chosenNames.erase(at->data.path);
    Q_EMIT message(tr("%1 is now named \"%2\"").arg(at->data.path, at->modelName()), false);
    Q_EMIT itemsChanged();
    return true;
}

std::map<QString, QString> Session::chosenNames() const
{
    std::map<QString, QString> names;
    for (const SessionItem& item : m_items)
        if (!item.name.isEmpty()) names[item.data.path] = item.name;
    return names;
}

void Session::assignRoles()
{
    // Whether a square matrix is human data depends on the object set; the concept space stays as chosen.
    for (SessionItem& item : m_items)
        if (item.data.kind == LoadedItem::Kind::Matrix && item.role != ItemRole::ConceptSpace)
            item.role = roleOf(item.data, m_objects.get(), m_settings.conceptPath, false);
}

void Session::clear()
{
    m_objects.reset();
    m_items.clear();
    m_openedPaths.clear();
    m_settings = {};
    m_extractions.clear();
    m_probe.reset();
    m_chosenNames.clear();
    Q_EMIT objectsChanged();
    Q_EMIT similarityChanged();
    Q_EMIT rsaMethodsChanged();
    Q_EMIT analysisInputsChanged();
    Q_EMIT settingsChanged();
    Q_EMIT probeChanged();
    Q_EMIT itemsChanged();
}

const SessionItem* Session::item(int id) const
{
    for (const SessionItem& i : m_items)
        if (i.id == id) return &i;
    return nullptr;
}

const SessionItem* Session::itemAtPath(const QString& path) const
{
    for (auto it = m_items.rbegin(); it != m_items.rend(); ++it)
        if (it->data.path == path) return &*it;
    return nullptr;
}

std::vector<const SessionItem*> Session::itemsWithRole(ItemRole role) const
{
    std::vector<const SessionItem*> found;
    for (const SessionItem& i : m_items)
        if (i.role == role) found.push_back(&i);
    return found;
}

void Session::noteOpened(const QStringList& paths)
{
    for (const QString& path : paths)
        if (!m_openedPaths.contains(path)) m_openedPaths << path;
}

void Session::setSimilarity(SimilarityKind kind)
{
    if (m_settings.similarity == kind) return;
    m_settings.similarity = kind;
    Q_EMIT similarityChanged();
    Q_EMIT settingsChanged();
}

void Session::setRsaMethods(RdmMethod method, CompareMethod compare)
{
    if (m_settings.rdm == method && m_settings.compare == compare) return;
    m_settings.rdm = method;
    m_settings.compare = compare;
    Q_EMIT rsaMethodsChanged();
    Q_EMIT settingsChanged();
}

void Session::setRowIdentity(const QString& matrixPath, const RowIdentity& identity)
{
    m_settings.rowIdentities[matrixPath] = identity;
    Q_EMIT analysisInputsChanged();
    Q_EMIT settingsChanged();
}

bool Session::needsRowIdentity(const QString& matrixPath) const
{
    const auto known = m_settings.rowIdentities.find(matrixPath);
    if (known != m_settings.rowIdentities.end() &&
        !(known->second.policy == RowIdentity::Policy::Ids && known->second.ids.empty()))
        return false;
    const SessionItem* found = itemAtPath(matrixPath);
    return found && found->data.matrix && found->data.matrix->rowIds.empty();
}

void Session::setConceptPath(const QString& path)
{
    m_settings.conceptPath = path;
    for (SessionItem& item : m_items) {
        if (item.data.kind != LoadedItem::Kind::Matrix) continue;
        if (item.data.path == path)
            item.role = ItemRole::ConceptSpace;
        else if (item.role == ItemRole::ConceptSpace)
            item.role = roleOf(item.data, m_objects.get(), path, false);
    }
    Q_EMIT analysisInputsChanged();
    Q_EMIT settingsChanged();
    Q_EMIT itemsChanged();
}

void Session::recordExtraction(int itemId, ExtractionRecord record)
{
    m_extractions[itemId] = std::move(record);
}

const ExtractionRecord* Session::extractionOf(int itemId) const
{
    const auto it = m_extractions.find(itemId);
    return it == m_extractions.end() ? nullptr : &it->second;
}

void Session::setProbe(ProbeState probe)
{
    if (probe.sourceId == 0)
        if (const SessionItem* source = itemAtPath(probe.sourcePath)) probe.sourceId = source->id;
    m_probe = std::move(probe);
    Q_EMIT probeChanged();
}

int Session::addTransformedFeatures(int sourceId, std::shared_ptr<const LoadedMatrix> transformed)
{
    const SessionItem* source = m_probe ? item(m_probe->sourceId) : nullptr;
    if (!source || source->id != sourceId || !transformed) return 0;
    const LoadedItem& from = source->data;
    LoadedItem added;
    added.kind = LoadedItem::Kind::Matrix;
    added.path = probedPath(from.path);
    added.summary = QStringLiteral("%1: (%2, %3) probed")
                        .arg(QFileInfo(added.path).fileName())
                        .arg(transformed->array.rows())
                        .arg(transformed->array.cols());
    added.matrix = std::move(transformed);
    added.name = source->modelName() + QStringLiteral(" + probe");
    const auto identity = m_settings.rowIdentities.find(from.path);
    if (identity != m_settings.rowIdentities.end()) m_settings.rowIdentities[added.path] = identity->second;
    const int previous = m_probe->transformedId;
    // Applying again replaces the previous transformed copy.
    m_items.erase(std::remove_if(m_items.begin(), m_items.end(),
                                 [sourceId, previous](const SessionItem& i) {
                                     return i.sourceId == sourceId || (previous != 0 && i.id == previous);
                                 }),
                  m_items.end());
    const int id = add(std::move(added), Origin::Computed, sourceId);
    m_probe->transformedId = id;
    Q_EMIT probeChanged();
    return id;
}
