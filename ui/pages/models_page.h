#pragma once
// Models panel: TorchScript models dropped or opened, a card per model (file, hash, parameters, methods,
// device), and a queue of extraction jobs with per-job progress and cancel. Extracted features join the
// workspace as models for every other page.

#include "alignscope/feature_extraction.h"

#include <QHash>
#include <QWidget>
#include <map>

class MainWindow;
class QLabel;
class QListWidget;
class QPushButton;
class QTableWidget;

class ModelsPage : public QWidget
{
    Q_OBJECT
public:
    explicit ModelsPage(MainWindow* window);

    // Queues an extraction (what the settings dialog's OK does); returns the job's row in the queue.
    int queueExtraction(const alignscope::ExtractionRequest& request, bool useCache);
    void cancelJob(int row);
    QString jobStatus(int row) const;
    int jobCount() const;
    const alignscope::ModelInfo* modelInfo(const QString& path) const;
    QString selectedModel() const;
    // The extraction that produced a workspace item (virtual path), with its cache key at extraction time.
    struct Extraction
    {
        alignscope::ExtractionRequest request;
        std::string cacheKey;
    };
    const Extraction* extractionOf(const QString& workspacePath) const;
    // Features restored from a project keep their provenance for the next save.
    void rememberExtraction(const QString& workspacePath, Extraction extraction)
    {
        m_extractions[workspacePath] = std::move(extraction);
    }
    void selectModel(const QString& path);

public Q_SLOTS:
    void refreshModels();

Q_SIGNALS:
    // A job's features joined the workspace under these (virtual) paths.
    void featuresExtracted(const QStringList& workspacePaths);

private:
    enum class JobState
    {
        Queued,
        Running,
        Done,
        Failed,
        Cancelled
    };
    struct Job
    {
        QString slot;
        JobState state = JobState::Queued;
        QString status;
    };
    void inspect(const QString& path);
    void showCard();
    void openSettings();
    void setJobState(int row, JobState state, const QString& status);
    void addExtractedFeatures(const alignscope::ExtractionRequest& request,
                              const alignscope::ExtractionResult& result, int job);

    MainWindow* m_window;
    QListWidget* m_models;
    QLabel* m_card;
    QPushButton* m_extract;
    QTableWidget* m_jobs;
    QHash<QString, alignscope::ModelInfo> m_infos;
    QHash<QString, QString> m_inspectErrors;
    std::map<QString, Extraction> m_extractions;
    std::vector<Job> m_jobList;
    int m_nextJob = 1;
};
