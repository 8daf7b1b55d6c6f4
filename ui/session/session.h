#pragma once
// The one owner of what the user has open and decided: loaded items (each with a stable id and a role
// decided once, when it is added), the paths opened, the analysis settings, the extractions that produced
// features, and the probe. Controllers read it and compute; pages observe it. Lives on the GUI thread.

#include "session/analysis_settings.h"
#include "session/file_loader.h"

#include "alignscope/feature_extraction.h"
#include "alignscope/probe.h"

#include <QObject>
#include <QStringList>
#include <map>
#include <optional>
#include <vector>

// What a loaded item is to the analyses.
enum class ItemRole
{
    Objects,
    Triplets,
    ModelFeatures, // rows are stimuli, columns a model's features
    ConceptSpace,  // rows are objects, columns interpretable non-negative dimensions (VICE)
    HumanData,     // a dataset folder, or an n×n (dis)similarity matrix over the objects
    TorchScriptModel,
    RowIds, // an ID list that names the rows of a matrix
    BatchResults
};

struct SessionItem
{
    int id = 0;
    ItemRole role = ItemRole::ModelFeatures;
    LoadedItem data;  // path (real or virtual), summary and the loaded content
    int sourceId = 0; // features derived from another item (the probe's transform): that item's id
    QString name;     // the display name chosen by the user or its maker; empty: defaultName()
    // The name analyses, tables, figures and exports use for it: `name`, else defaultName().
    QString modelName() const;
    // The file's stem ("colour_histogram"); for human data and concept spaces a readable one, underscores
    // as spaces and the extension dropped ("similarity ratings"), or the dataset's own description.
    QString defaultName() const;
};

// The extraction that produced features, with its cache key at extraction time (saved with projects).
struct ExtractionRecord
{
    alignscope::ExtractionRequest request;
    std::string cacheKey;
};

// The trained (or loaded) probe: its transform and the features it was trained on.
struct ProbeState
{
    alignscope::ProbeResult result;
    QString sourcePath;       // the probed features' path (what projects save)
    int sourceId = 0;         // 0 until an item with sourcePath is in the session
    int tripletsId = 0;       // the triplet set it was trained on (0: loaded or restored)
    int transformedId = 0;    // the transformed features once applied
    bool fromProject = false; // restored, not trained in this session
};

// The role an item gets when added, from what it is and what is open: the concept space is the item at
// `conceptPath`, or (when none is chosen) a small non-negative matrix; an n×n matrix over the objects is
// human data; other matrices are model features.
ItemRole roleOf(const LoadedItem& item, const alignscope::StimulusSet* objects, const QString& conceptPath,
                bool guessConcepts);

class Session : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // Where an item comes from: only files opened by the user may be guessed to be the concept space.
    enum class Origin
    {
        File,
        Computed // extracted or transformed features
    };
    // Adds a loaded item and returns its id (0 for a failed one). A new object set replaces the current
    // one (triplets index it, so they go too); an ID list becomes the objects when there are none yet.
    int add(LoadedItem item, Origin origin = Origin::File, int sourceId = 0);
    const std::vector<SessionItem>& items() const { return m_items; }
    const SessionItem* item(int id) const;
    const SessionItem* itemAtPath(const QString& path) const;
    std::vector<const SessionItem*> itemsWithRole(ItemRole role) const;
    const alignscope::StimulusSet* objects() const { return m_objects.get(); }
    std::shared_ptr<const alignscope::StimulusSet> sharedObjects() const { return m_objects; }

    // Forgets everything (a new workspace): items, objects, opened paths, settings, extractions, the probe.
    void clear();
    bool isEmpty() const { return m_items.empty(); }

    // Paths the user opened, in order (what a project reopens).
    void noteOpened(const QStringList& paths);
    const QStringList& openedPaths() const { return m_openedPaths; }

    const AnalysisSettings& settings() const { return m_settings; }
    void setSimilarity(alignscope::SimilarityKind kind);
    void setRsaMethods(alignscope::RdmMethod method, alignscope::CompareMethod compare);
    void setRowIdentity(const QString& matrixPath, const alignscope::RowIdentity& identity);
    // True when a matrix names no rows and no mapping was chosen for it.
    bool needsRowIdentity(const QString& matrixPath) const;
    // Makes the item at `path` the concept space (empty: none); the previous one becomes model features.
    void setConceptPath(const QString& path);

    // Gives an item the display name `name` (empty: its default again); refuses a name another item has,
    // saying why in `error`. The analyses are recomputed under the new name (itemsChanged).
    bool rename(int id, const QString& name, QString* error = nullptr);
    // Whether no item other than `exceptId` is shown under `name` (what rename checks).
    bool nameIsFree(const QString& name, int exceptId) const;
    // The names chosen for items, by path (what a project saves); items added later at those paths take
    // them.
    std::map<QString, QString> chosenNames() const;
    void setChosenNames(std::map<QString, QString> names) { m_chosenNames = std::move(names); }

    void recordExtraction(int itemId, ExtractionRecord record);
    const ExtractionRecord* extractionOf(int itemId) const;

    const std::optional<ProbeState>& probe() const { return m_probe; }
    void setProbe(ProbeState probe);
    // Adds features made by the probe's transform from its source item `sourceId` (the product is computed
    // on a worker, ProbeController::apply) as a model, replacing a previous transformed copy; returns its
    // id, 0 when the probe's source is no longer that item (the probe changed meanwhile).
    int addTransformedFeatures(int sourceId, std::shared_ptr<const alignscope::LoadedMatrix> transformed);

    // Everything an analysis gathers, copied so that it can be mapped on a worker thread.
    struct Snapshot
    {
        std::vector<SessionItem> items;
        AnalysisSettings settings;
    };
    Snapshot snapshot() const { return {m_items, m_settings}; }

Q_SIGNALS:
    void itemAdded(int id); // before itemsChanged
    void itemsChanged();
    void objectsChanged();
    void settingsChanged(); // any of the three below
    void similarityChanged();
    void rsaMethodsChanged();
    void analysisInputsChanged(); // the concept space or a row mapping
    void probeChanged();
    void message(const QString& text, bool isError);

private:
    void assignRoles();

    std::shared_ptr<const alignscope::StimulusSet> m_objects;
    std::vector<SessionItem> m_items;
    int m_nextId = 1;
    QStringList m_openedPaths;
    AnalysisSettings m_settings;
    std::map<int, ExtractionRecord> m_extractions;
    std::optional<ProbeState> m_probe;
    std::map<QString, QString> m_chosenNames; // by path, for items still to be added
};
